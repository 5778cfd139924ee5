// The desk's only script: Det Fælles Designsystem's components (the error summary takes the
// focus, so a screen reader reads the problems first), the caseworker remembered in this browser,
// and the progress of a CSV batch. Everything works without it, only with more typing.
'use strict';

// Kept in this browser's localStorage, never sent anywhere but into this form: the caseworker's
// own name, phone, e-mail and unit, and the provider last granted per standard.
var KEY = 'standardgen.desk.sagsbehandler';
var MINE = ['caseworker.name', 'caseworker.phone', 'caseworker.email', 'caseworker.unit'];

function stored() {
  try {
    return JSON.parse(window.localStorage.getItem(KEY) || '{}') || {};
  } catch (e) {
    return {};
  }
}

function remembered(form) {
  var standard = form.getAttribute('data-standard');
  var kept = stored();
  var fields = MINE.concat(['extent.provider']);
  var changed = false;
  fields.forEach(function (name) {
    var input = form.elements[name];
    var key = name === 'extent.provider' ? name + '@' + standard : name;
    if (input && !input.value && kept[key]) {
      input.value = kept[key];
      changed = true;
    }
  });
  return changed;
}

function remember(form) {
  var standard = form.getAttribute('data-standard');
  var kept = stored();
  MINE.forEach(function (name) {
    var input = form.elements[name];
    if (input && input.value) { kept[name] = input.value; }
  });
  var provider = form.elements['extent.provider'];
  if (provider && provider.value) { kept['extent.provider@' + standard] = provider.value; }
  try {
    window.localStorage.setItem(KEY, JSON.stringify(kept));
  } catch (e) { /* private mode: nothing remembered, nothing lost */ }
}

function setUpCase(form) {
  var forget = form.querySelector('[data-forget]');
  var said = form.querySelector('[data-forgotten]');
  remembered(form);
  if (forget) {
    forget.hidden = false;
    forget.addEventListener('click', function () {
      try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
      MINE.forEach(function (name) {
        if (form.elements[name]) { form.elements[name].value = ''; }
      });
      if (said) { said.textContent = 'Dine oplysninger er glemt i denne browser.'; }
      if (form.elements['caseworker.name']) { form.elements['caseworker.name'].focus(); }
    });
  }
  var choice = form.querySelector('[data-caseworkers]');
  if (choice) {
    choice.addEventListener('change', function () {
      var option = choice.options[choice.selectedIndex];
      if (!option || !option.value) { return; }
      ['name', 'phone', 'email', 'unit'].forEach(function (part) {
        var input = form.elements['caseworker.' + part];
        if (input) { input.value = option.getAttribute('data-' + part) || ''; }
      });
    });
  }
  form.addEventListener('submit', function (event) {
    // "Gem kladde" and "Tilføj mål" keep the form as it is; a check remembers the caseworker.
    var by = event.submitter;
    if (!by || (!by.getAttribute('formaction') && !by.name)) { remember(form); }
  });
}

function setUpProgress(box) {
  var bar = document.getElementById('fremdrift-bar');
  var text = document.getElementById('fremdrift-tekst');
  var poll = function () {
    fetch(box.getAttribute('data-status'), {credentials: 'same-origin', cache: 'no-store'})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (!state.fundet || state.faerdig) {
          window.location.reload();
          return;
        }
        bar.max = Math.max(state.i_alt, 1);
        bar.value = state.skrevet;
        bar.textContent = state.skrevet + ' af ' + state.i_alt;
        text.textContent = state.skrevet + ' af ' + state.i_alt + ' breve skrevet.';
        window.setTimeout(poll, 700);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  };
  window.setTimeout(poll, 500);
}

document.addEventListener('DOMContentLoaded', function () {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
  var form = document.querySelector('[data-module="desk-case"]');
  if (form) { setUpCase(form); }
  var box = document.getElementById('fremdrift');
  if (box) { setUpProgress(box); }
});

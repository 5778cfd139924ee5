// The desk's only script: Det Fælles Designsystem's components (the error summary takes the
// focus, so a screen reader reads the problems first), and the progress of a CSV batch.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
  var box = document.getElementById('fremdrift');
  if (!box) {
    return;
  }
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
});

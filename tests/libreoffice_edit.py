"""Edit a .docx with headless LibreOffice, as a policy officer would in Writer.

LibreOffice here has no Python UNO bridge (python3-uno is not installed), but its Basic runtime
is: a Basic module is written into a private user profile and run with a ``macro:///`` URL. The
macro makes the five edits the issue names (an insertion, a deletion, a moved paragraph, a new
list item and a changed heading), with Writer's change tracking on or off, and saves as Word.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub Edit(inPath As String, outPath As String, track As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), "_blank", 0, args())
  doc.RecordChanges = (track = "1")
  oText = doc.getText()
  rd = doc.createReplaceDescriptor()
  rd.SearchString = "aktive deltagelse"
  rd.ReplaceString = "aktive og frivillige deltagelse"
  doc.replaceAll(rd)
  en = oText.createEnumeration()
  Do While en.hasMoreElements()
    p = en.nextElement()
    If p.supportsService("com.sun.star.text.Paragraph") Then
      s = p.getString()
      If s = "Formål" Then headP = p
      If Left(s, 24) = "Herefter modtager borger" Then delP = p
      If s = "Kreative udfordringer" Then listP = p
      If s = "Der er ingen udgifter for borgeren til kørsel." Then moveP = p
      If Left(s, 22) = "Der er ikke valgfrihed" Then targetP = p
    End If
  Loop
  c = oText.createTextCursorByRange(headP.getStart())
  c.gotoEndOfParagraph(True)
  c.setString("Formål med tilbuddet")
  c = oText.createTextCursorByRange(delP.getStart())
  c.gotoEndOfParagraph(True)
  c.goRight(1, True)
  c.setString("")
  c = oText.createTextCursorByRange(listP.getEnd())
  oText.insertControlCharacter(c, com.sun.star.text.ControlCharacter.PARAGRAPH_BREAK, False)
  oText.insertString(c, "Musik og dans", False)
  moved = moveP.getString()
  c = oText.createTextCursorByRange(moveP.getStart())
  c.gotoEndOfParagraph(True)
  c.goLeft(0, True)
  c.gotoStartOfParagraph(True)
  c.gotoEndOfParagraph(True)
  c.goRight(1, True)
  c.setString("")
  c = oText.createTextCursorByRange(targetP.getStart())
  oText.insertString(c, moved, False)
  oText.insertControlCharacter(c, com.sun.star.text.ControlCharacter.PARAGRAPH_BREAK, False)
  Dim sargs(0) As New com.sun.star.beans.PropertyValue
  sargs(0).Name = "FilterName"
  sargs(0).Value = "MS Word 2007 XML"
  doc.storeToURL(ConvertToURL(outPath), sargs())
  doc.close(True)
End Sub
</script:module>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def edit(source: Path, target: Path, profile: Path, *, track: bool) -> None:
    """Write ``target``: ``source`` edited in LibreOffice Writer (tracked or not)."""
    binary = soffice()
    assert binary, "LibreOffice (soffice) is not installed"
    user = f"-env:UserInstallation={profile.resolve().as_uri()}"
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    if not module.parent.is_dir():
        subprocess.run([binary, user, "--headless", "--terminate_after_init"],
                       capture_output=True, timeout=180, check=False)
    module.write_text(MODULE, encoding="utf-8")
    macro = (f'macro:///Standard.Module1.Edit("{source.resolve()}","{target.resolve()}",'
             f'"{1 if track else 0}")')
    subprocess.run([binary, user, "--headless", "--norestore", macro], capture_output=True,
                   timeout=180, check=False)
    assert target.is_file(), "LibreOffice did not write the edited file"

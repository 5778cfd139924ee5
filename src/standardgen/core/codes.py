"""Every problem code, in one table: the stable names CI reads in ``check --format json``.

A message is for people and may be reworded; a code is for scripts and stays. Each member says
in one Danish line what it is about; ``docs/problem-codes.md`` is generated from this table
(``standardgen.core.codes.markdown_table``), and a test fails on a code that no module uses.
A new rule gets a new member here, next to those of its layer.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """A problem's code; the value is what ``--format json|github|gitlab`` shows."""

    # Reading files (core/yamlsource.py, cases/read.py)
    NOT_FOUND = "not-found"
    NOT_FILE = "not-file"
    EMPTY_DIR = "empty-dir"
    SIZE = "size"
    BINARY = "binary"
    ENCODING = "encoding"
    EMPTY = "empty"
    SYNTAX = "syntax"
    DOCUMENTS = "documents"
    NOT_MAPPING = "not-mapping"
    CONTROL_CHARACTER = "control-character"
    ALIAS = "alias"
    TAG = "tag"
    DEPTH = "depth"
    DUPLICATE_KEY = "duplicate-key"
    KEY_TYPE = "key-type"
    VALUE = "value"
    # Validation against a model (core/validation.py)
    UNKNOWN_KEY = "unknown-key"
    MISSING = "missing"
    INVALID_VALUE = "invalid-value"
    TOO_MANY_PROBLEMS = "too-many-problems"
    QUOTE_TEXT = "quote-text"
    GUIDANCE = "guidance"
    TEMPLATES = "templates"
    TODAY = "today"
    # A standard (standards/)
    MUNICIPALITY = "municipality"
    MUNICIPALITY_ID = "municipality-id"
    PROFILE = "profile"
    MISSING_REQUIRED = "missing-required"
    MISSING_RECOMMENDED = "missing-recommended"
    EMPTY_SECTION = "empty-section"
    DUPLICATE_ID = "duplicate-id"
    DUPLICATE_ROLE = "duplicate-role"
    DUPLICATE_SLUG = "duplicate-slug"
    SLUG_FILENAME = "slug-filename"
    LINK = "link"
    LETTER_QUOTE = "letter-quote"
    COMPLAINTS_REFERENCE = "complaints-reference"
    LOGO = "logo"
    THEME_CONTRAST = "theme-contrast"
    ACCESSIBILITY_STATEMENT = "accessibility-statement"
    REVISION_DATE = "revision-date"
    REVISION_DUE = "revision-due"
    REVISION_OVERDUE = "revision-overdue"
    LIX = "lix"
    LONG_SENTENCE = "long-sentence"
    APPROVAL_FUTURE = "approval-future"
    NO_PROFILE_YET = "no-profile-yet"
    # A case (cases/)
    CSV = "csv"
    CSV_QUOTE = "csv-quote"
    CSV_ROW = "csv-row"
    HEADER = "header"
    NO_ROWS = "no-rows"
    CELL_SIZE = "cell-size"
    UNKNOWN_COLUMN = "unknown-column"
    DUPLICATE_COLUMN = "duplicate-column"
    DUPLICATE_CASE = "duplicate-case"
    CHAIN = "chain"
    UNKNOWN_STANDARD = "unknown-standard"
    NO_SERVICE_PROFILE = "no-service-profile"
    MISSING_EXTENT = "missing-extent"
    MISSING_PREVIOUS_EXTENT = "missing-previous_extent"
    MISSING_CHANGE = "missing-change"
    MISSING_END = "missing-end"
    MISSING_REASONS = "missing-reasons"
    MISSING_FACTS = "missing-facts"
    MISSING_HEARING = "missing-hearing"
    HEARING_BOTH = "hearing-both"
    MISSING_DISCLOSED = "missing-disclosed"
    MISSING_RESPONSE = "missing-response"
    RESPONSE_WITHOUT_HEARING = "response-without-hearing"
    HEARING_AFTER_DECISION = "hearing-after-decision"
    END_BEFORE_START = "end-before-start"
    FOLLOW_UP_BEFORE_DECISION = "follow-up-before-decision"
    DECISION_IN_FUTURE = "decision-in-future"
    NOT_IN_FORCE = "not-in-force"
    UNUSED_FIELD = "unused-field"
    DRAFT = "draft"
    CASE_NUMBER_FORMAT = "case-number-format"
    NOTICE = "notice"
    TEMPLATE = "template"
    # Outputs (letters/, forms/, publish/, approval/, importer/, scaffold/)
    RENDER = "render"
    WRITE = "write"
    PRIVATE_DIR = "private-dir"
    WORKER_DIED = "worker-died"
    PRINT = "print"
    MEMO_SENDER = "memo-sender"
    NO_FOLLOW_UP = "no-follow-up"
    NO_FORM = "no-form"
    NO_EXTENT = "no-extent"
    THEME = "theme"
    NOT_PDF = "not-pdf"
    PDF = "pdf"
    NOT_FORM = "not-form"
    FORM_FIELD = "form-field"
    FORM_DATE = "form-date"
    FORM_PAST_DATE = "form-past-date"
    FORM_LEVEL = "form-level"
    FORM_CHOICE = "form-choice"
    CPR_IN_TEXT = "cpr-in-text"
    REVISION = "revision"
    DOCX = "docx"
    TRACKED_CHANGE = "tracked-change"
    IMPORT_HEADING = "import-heading"
    IMPORT_UNSURE = "import-unsure"
    IMPORT_QUOTE = "import-quote"
    IMPORT_HEADER = "import-header"
    IMPORT_PREAMBLE = "import-preamble"
    IMPORT_TOC = "import-toc"
    IMPORT_TABLE = "import-table"
    IMPORT_INHERITED = "import-inherited"
    IMPORT_DROPPED = "import-dropped"
    EXISTS = "exists"
    # Hostile files (issue 20): names and contents that must not escape their folder
    UNSAFE_PATH = "unsafe-path"
    IMPORT_ID = "import-id"
    TEMPLATE_LINK = "template-link"
    CASE_SIZE = "case-size"
    # Personal data in git (core/gitguard.py)
    CPR_IN_GIT = "cpr-in-git"
    CASE_IN_GIT = "case-in-git"
    # The desk (desk/)
    PACKED = "packed"
    DESK_TOKEN = "desk-token"
    DESK_BIND = "desk-bind"

    @property
    def description(self) -> str:
        """What the code is about, in one Danish line."""
        return DESCRIPTIONS[self]


DESCRIPTIONS: dict[Code, str] = {
    Code.NOT_FOUND: "Filen eller mappen findes ikke.",
    Code.NOT_FILE: "Stien er ikke en fil.",
    Code.EMPTY_DIR: "Mappen indeholder ingen filer af den slags, kommandoen læser.",
    Code.SIZE: "Filen eller teksten er større end grænsen.",
    Code.BINARY: "Filen er binær, ikke en tekstfil.",
    Code.ENCODING: "Filen er ikke gemt som UTF-8.",
    Code.EMPTY: "Filen er tom.",
    Code.SYNTAX: "YAML-filen kan ikke læses (fx en manglende anførselstegn eller indrykning).",
    Code.DOCUMENTS: "YAML-filen har mere end ét dokument ('---').",
    Code.NOT_MAPPING: "Filen skal være en gruppe af nøgler med værdier.",
    Code.CONTROL_CHARACTER: "Teksten har et usynligt kontroltegn (ofte kopieret fra Word).",
    Code.ALIAS: "YAML-ankre og -aliaser (&, *) er ikke tilladt.",
    Code.TAG: "YAML-tags (!, !!) er ikke tilladt.",
    Code.DEPTH: "YAML-filen er indlejret for dybt.",
    Code.DUPLICATE_KEY: "Samme nøgle står to gange.",
    Code.KEY_TYPE: "En nøgle skal være en kort tekst.",
    Code.VALUE: "En værdi kan ikke læses (fx en dato, der ikke findes).",
    Code.UNKNOWN_KEY: "Nøglen kendes ikke (ofte en stavefejl).",
    Code.MISSING: "Et påkrævet felt mangler.",
    Code.INVALID_VALUE: "En værdi har forkert form eller type.",
    Code.TOO_MANY_PROBLEMS: "Kontrollen af en fil stoppede efter de første 50 fejl.",
    Code.QUOTE_TEXT: "En tekst, der citeres i breve, har en form, der ikke kan citeres.",
    Code.GUIDANCE: "En vejledningstekst [[VEJLEDNING: ...]] er endnu ikke erstattet.",
    Code.TEMPLATES: "En skabelonmappe mangler (kommunens egen eller standardgens).",
    Code.TODAY: "Dagen i --today eller STANDARDGEN_TODAY er ikke en dato.",
    Code.MUNICIPALITY: "Kommunefilen mangler eller kan ikke bruges.",
    Code.MUNICIPALITY_ID: "Kommunens id passer ikke til kommunefilens navn.",
    Code.PROFILE: "Standardens serviceprofil kendes ikke.",
    Code.MISSING_REQUIRED: "Et afsnit eller link, som serviceprofilen kræver, mangler.",
    Code.MISSING_RECOMMENDED: "Et afsnit eller link, som serviceprofilen anbefaler, mangler.",
    Code.EMPTY_SECTION: "Et afsnit har ingen tekst.",
    Code.DUPLICATE_ID: "Samme id bruges to gange i standarden.",
    Code.DUPLICATE_ROLE: "To afsnit har samme rolle.",
    Code.DUPLICATE_SLUG: "To standarder har samme slug (adresse).",
    Code.SLUG_FILENAME: "Standardens slug og filnavn er forskellige.",
    Code.LINK: "Et link i teksten kan ikke bruges.",
    Code.LETTER_QUOTE: "Et afsnit eller en blok, som brevene citerer, mangler.",
    Code.COMPLAINTS_REFERENCE: "Klageafsnittet henviser kun til klagevejledningen, som brevet "
    "citerer, i stedet for at sige noget selv.",
    Code.LOGO: "Kommunens logo findes ikke eller kan ikke bruges.",
    Code.THEME_CONTRAST: "Kommunens farve giver for lav kontrast (WCAG 2.1 AA).",
    Code.ACCESSIBILITY_STATEMENT: "Kommunefilen mangler linket til tilgængelighedserklæringen.",
    Code.REVISION_DATE: "Næste revision ligger ikke efter godkendelsen.",
    Code.REVISION_DUE: "Næste revision nærmer sig.",
    Code.REVISION_OVERDUE: "Næste revision er overskredet.",
    Code.LIX: "Læsbarhedstal (LIX) for standarden eller et afsnit (info).",
    Code.LONG_SENTENCE: "En sætning er længere end klarsprogsgrænsen.",
    Code.APPROVAL_FUTURE: "Standardens godkendelsesdato ligger efter i dag.",
    Code.NO_PROFILE_YET: "Paragraffen har ingen serviceprofil: standarden kan udgives, ikke bruges "
                         "til breve.",
    Code.CSV: "CSV-filen kan ikke læses.",
    Code.CSV_QUOTE: "Et anførselstegn i CSV-filen lukkes aldrig.",
    Code.CSV_ROW: "En CSV-række har et andet antal felter end overskriften.",
    Code.HEADER: "CSV-filens overskrift kan ikke bruges.",
    Code.NO_ROWS: "CSV-filen har ingen sager.",
    Code.CELL_SIZE: "Et felt i CSV-filen er for langt.",
    Code.UNKNOWN_COLUMN: "En kolonne i CSV-filen kendes ikke.",
    Code.DUPLICATE_COLUMN: "En kolonne står to gange i CSV-filen.",
    Code.DUPLICATE_CASE: "To sager har samme sagsnummer og brevtype.",
    Code.CHAIN: "En afgørelse bygget på en sag og en opfølgning kan ikke samles.",
    Code.UNKNOWN_STANDARD: "Sagen nævner en standard, der ikke findes.",
    Code.NO_SERVICE_PROFILE: "Standardens paragraf har ingen serviceprofil; der kan ikke laves "
                             "breve eller skemaer.",
    Code.MISSING_EXTENT: "Brevtypen kræver omfanget af indsatsen (extent).",
    Code.MISSING_PREVIOUS_EXTENT: "Brevtypen kræver det hidtidige omfang (previous_extent).",
    Code.MISSING_CHANGE: "Brevtypen kræver ændringen (change).",
    Code.MISSING_END: "Brevtypen kræver ophøret (end).",
    Code.MISSING_REASONS: "Afgørelsen skal begrundes: de hensyn, der er lagt vægt på, mangler.",
    Code.MISSING_FACTS: "Afgørelsen skal begrundes: de faktiske forhold mangler.",
    Code.MISSING_HEARING: "Partshøringen mangler (dato, eller hvorfor den ikke er holdt).",
    Code.HEARING_BOTH: "Partshøringen har både en dato og en grund til ikke at være holdt.",
    Code.MISSING_DISCLOSED: "Uden partshøring skal brevet oplyse, hvad afgørelsen bygger på.",
    Code.MISSING_RESPONSE: "En holdt partshøring skal sige, om borgeren svarede.",
    Code.RESPONSE_WITHOUT_HEARING: "Et svar på en partshøring, der ikke er holdt.",
    Code.HEARING_AFTER_DECISION: "Partshøringen ligger efter afgørelsen.",
    Code.END_BEFORE_START: "Slutdatoen ligger før startdatoen.",
    Code.FOLLOW_UP_BEFORE_DECISION: "Opfølgningen ligger før afgørelsen.",
    Code.NOT_IN_FORCE: "Ingen version af standarden, som brevet kan citere, gjaldt på "
                       "afgørelsesdatoen.",
    Code.DECISION_IN_FUTURE: "Afgørelsesdatoen ligger i fremtiden.",
    Code.CASE_NUMBER_FORMAT: "Sagsnummeret har ikke den form, kommunefilen angiver.",
    Code.DRAFT: "Sagen er en kladde fra skrivebordet og skal gøres færdig der først.",
    Code.UNUSED_FIELD: "Et udfyldt felt, som brevtypen ikke viser (forkert resultat?).",
    Code.NOTICE: "En ændring til ulempe for borgeren er ikke varslet længe nok.",
    Code.TEMPLATE: "En skabelon eller brevets ordlyd (wording.yaml) har en fejl.",
    Code.RENDER: "Et brev eller skema kunne ikke laves.",
    Code.WRITE: "En fil kunne ikke skrives.",
    Code.PRIVATE_DIR: "Mappen til persondata er ikke privat (andre kan læse den).",
    Code.WORKER_DIED: "En arbejdsproces stoppede; hovedprocessen lavede resten.",
    Code.PRINT: "Et PDF-brev passer ikke til rudekuvert og fjernprint.",
    Code.MEMO_SENDER: "Kommunefilen mangler CVR-nummeret, som Digital Post-beskeden (MeMo) "
    "skal have som afsender.",
    Code.NO_FOLLOW_UP: "Sagen har ingen opfølgningsdato.",
    Code.NO_FORM: "Brevtypen har intet opfølgningsskema.",
    Code.NO_EXTENT: "Sagen har ingen indsats at følge op på.",
    Code.THEME: "Et tema er ikke et af KL's FFB-temaer.",
    Code.NOT_PDF: "Filen er ikke en PDF.",
    Code.PDF: "PDF-filen kan ikke læses (beskadiget eller beskyttet).",
    Code.NOT_FORM: "PDF-filen er ikke et opfølgningsskema fra standardgen.",
    Code.FORM_FIELD: "Et felt i det udfyldte skema kan ikke bruges.",
    Code.FORM_DATE: "En dato i det udfyldte skema kan ikke læses.",
    Code.FORM_PAST_DATE: "En dato i det udfyldte skema ligger i fortiden.",
    Code.FORM_LEVEL: "Et funktionsniveau i det udfyldte skema er ikke 0-4.",
    Code.FORM_CHOICE: "Et valg i det udfyldte skema er ikke et af mulighederne.",
    Code.CPR_IN_TEXT: "En fritekst i skemaet ser ud til at have et CPR-nummer.",
    Code.REVISION: "En git-revision kan ikke læses (diff --rev).",
    Code.DOCX: "Word-filen kan ikke læses.",
    Code.TRACKED_CHANGE: "Word-filen har registrerede ændringer, der ikke er accepteret.",
    Code.IMPORT_HEADING: "En overskrift fik ingen kendt rolle ved importen.",
    Code.IMPORT_UNSURE: "En overskrift ligner to roller; importen valgte den mest sandsynlige.",
    Code.IMPORT_QUOTE: "Et afsnit, brevene citerer, fik en vejledning i stedet for tekst.",
    Code.IMPORT_HEADER: "Tekst i Word-filens sidehoved eller -fod er ikke importeret.",
    Code.IMPORT_PREAMBLE: "Tekst før første overskrift er lagt i et afsnit for sig.",
    Code.IMPORT_TOC: "Word-filens indholdsfortegnelse er ikke importeret.",
    Code.IMPORT_TABLE: "En tabel er importeret som tekst.",
    Code.IMPORT_INHERITED: "En værdi er taget fra kommunefilen, ikke fra Word-filen.",
    Code.IMPORT_DROPPED: "Indhold i Word-filen er ikke importeret.",
    Code.UNSAFE_PATH: "Et filnavn peger uden for den mappe, der skal skrives i.",
    Code.IMPORT_ID: "Et id i Word-filens skjulte oplysninger har forkert form og bruges ikke.",
    Code.TEMPLATE_LINK: "En skabelon i kommunens skabelonmappe er et symbolsk link ud af mappen.",
    Code.CASE_SIZE: "En tekst eller liste i en sag er længere end en CSV-celle må være.",
    Code.EXISTS: "Filen findes allerede og overskrives ikke.",
    Code.CPR_IN_GIT: "En fil i git eller klar til commit uden for sager/ har et CPR-nummer.",
    Code.CASE_IN_GIT: "En sagsfil i sager/ er lagt i git, selv om .gitignore udelukker mappen.",
    Code.PACKED: "Sagen i skrivebordets formular er ødelagt.",
    Code.DESK_TOKEN: "Adgangsnøglen til skrivebordet kan ikke bruges.",
    Code.DESK_BIND: "Skrivebordet lytter på en anden adresse end denne computer uden adgangsnøgle.",
}


def markdown_table() -> str:
    """The reference page's table: code, and what it is about."""
    rows = [f"| `{code.value}` | {code.description} |" for code in Code]
    return "\n".join(["| kode | hvad den handler om |", "| --- | --- |", *rows]) + "\n"


if __name__ == "__main__":  # python -m standardgen.core.codes: the table for the docs
    print(markdown_table(), end="")

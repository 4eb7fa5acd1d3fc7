"""Text for the PDF core fonts (Latin-1), which every PDF the application writes uses; text on one line.

Indonesian needs nothing beyond Latin-1; any other character a user typed (a long dash, curly
quotes, an arrow) is folded to its nearest Latin-1 form so that nothing fails to print.
"""

import unicodedata

_FOLD = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u2192": "->",
        "\u00a0": " ",
    }
)


def latin1(text) -> str:
    """``text`` as the core fonts can print it."""
    text = str(text).translate(_FOLD)
    text = unicodedata.normalize("NFKC", text)
    folded = []
    for char in text:
        try:
            char.encode("latin-1")
            folded.append(char)
        except UnicodeEncodeError:
            ascii_form = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            folded.append(ascii_form or "?")
    return "".join(folded)


def single_line(text, *, limit: int | None = None) -> str:
    """``text`` on one line: every run of control characters and line/paragraph separators becomes one
    space (an email subject or header must never carry CR/LF), then cut to ``limit`` characters."""
    out, in_break = [], False
    for char in str(text if text is not None else ""):
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            if not in_break:
                out.append(" ")
            in_break = True
        else:
            out.append(char)
            in_break = False
    line = "".join(out).strip()
    return line[:limit] if limit else line

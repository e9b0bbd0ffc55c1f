# Swift string literals for the dev-time reference scripts that print Swift test cases.
# Printable text stays as is; quotes, backslashes, line breaks, tabs and other controls are
# escaped, and so are spaces other than ' ' and combining marks (nothing in the Swift source may be
# invisible), or, with ascii_only, every scalar outside printable ASCII.
import unicodedata


def swift_string(s, ascii_only=False):
    out = []
    for ch in s:
        if ch in "\"\\":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ascii_only and not 32 <= ord(ch) <= 126:
            out.append("\\u{%x}" % ord(ch))
        elif ch != " " and unicodedata.category(ch)[0] in "ZCM":
            out.append("\\u{%04X}" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'

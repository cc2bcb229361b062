"""The sections of BENCHMARKS.md that scripts other than benches/run.sh write: each between
`<!-- NAME:begin (SCRIPT) -->` and `<!-- NAME:end -->`, in ORDER after run.sh's part. A script
replaces its own section (`write`); run.sh's report keeps them all (`kept`)."""

import os

# Their order in the file.
ORDER = ["reqwest-jar", "v2"]


def _bounds(name):
    return f"<!-- {name}:begin", f"<!-- {name}:end -->"


def kept(text):
    """Every marked section of `text`, in ORDER."""
    out = []
    for name in ORDER:
        begin, end = _bounds(name)
        if begin in text and end in text:
            out.append(text[text.index(begin):text.index(end) + len(end)])
    return out


def write(path, name, script, lines):
    """Puts section `name` (its `lines`, written by `script`) into the file at `path`."""
    begin, end = _bounds(name)
    section = "\n".join([f"{begin} ({script}) -->", *lines, end])
    text = open(path).read() if os.path.exists(path) else ""
    if begin in text and end in text:
        text = text[:text.index(begin)] + section + text[text.index(end) + len(end):]
    else:
        later = [_bounds(n)[0] for n in ORDER[ORDER.index(name) + 1:] if _bounds(n)[0] in text]
        if later:
            at = text.index(later[0])
            text = text[:at] + section + "\n\n" + text[at:]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
    open(path, "w").write(text)

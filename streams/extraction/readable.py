"""What a reader sees of a body: terminal escapes and control characters blanked, invisible characters removed.

Text copied from terminals, feeds and word processors carries characters a reader never sees: ANSI escape
sequences (``ESC[31m`` colours the next words red; read as text, "31m" is 31 million), control characters, and
zero-width or formatting characters (a zero-width space between the 4 and the 6 of "46,645" splits one number
in two). A person reads "46,645" and no "31m". So, before anything is read:

- escape sequences and control characters (line breaks and tabs aside) become spaces of the same length: they
  separate what they stood between, as a reader sees it;
- invisible characters (zero-width spaces and joiners, the word joiner, the soft hyphen, the byte-order mark,
  direction marks and embeddings) are removed: they join what they stood between.

Removing characters moves offsets, so :class:`Readable` maps an offset of its text back to the body's: claim
spans keep pointing into the body as it was sent. Pure and linear in the body.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

# CSI (ESC [ ... final byte, or its 8-bit form), OSC (ESC ] ... BEL or ESC \), and two-character escapes.
_ESCAPES = r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]{0,256}(?:\x07|\x1b\\)|\x1b[@-Z\\-_]?"
_CONTROLS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_INVISIBLE = "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
_UNSEEN = re.compile(f"{_ESCAPES}|{_CONTROLS}|{_INVISIBLE}")
# Every escape starts with a control character: one character class finds whether there is anything to do
# ten times faster than the alternation above, which is tried only then.
_UNSEEN_START = re.compile(f"{_CONTROLS[:-1]}{_INVISIBLE[1:]}")
_INVISIBLE_RE = re.compile(_INVISIBLE)


class Readable:
    """``body`` as a reader sees it (:attr:`text`), with the way back to the body's offsets."""

    text: str
    removed: list[int]  # for each removed character, the offset in ``text`` where it stood

    def __init__(self, body: str) -> None:
        self.removed = []
        if _UNSEEN_START.search(body) is None:  # nearly every body: nothing to do
            self.text = body
            return
        parts: list[str] = []
        at = 0
        for match in _UNSEEN.finditer(body):
            parts.append(body[at:match.start()])
            unseen = match.group()
            if _INVISIBLE_RE.fullmatch(unseen):
                self.removed.append(match.start() - len(self.removed))
            else:
                parts.append(" " * len(unseen))
            at = match.end()
        parts.append(body[at:])
        self.text = "".join(parts)

    def start_in_body(self, offset: int) -> int:
        """The body offset of the character at ``offset`` of :attr:`text`."""
        return offset + bisect_right(self.removed, offset)

    def end_in_body(self, offset: int) -> int:
        """The body offset that ends a span ending at ``offset`` of :attr:`text` (removed characters just after
        it are left out)."""
        return offset + bisect_left(self.removed, offset)

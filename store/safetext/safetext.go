// Package safetext makes text from files safe to show on a terminal: no
// control characters, no escape sequences, no bidi overrides. Every name,
// alias, summary or other string read from a file goes through it before it
// is stored, printed or drawn.
package safetext

import (
	"strings"
	"unicode/utf8"
)

// Clean returns s as one line of plain text: escape sequences (CSI, OSC,
// DCS and the rest, with their parameters) and C0/C1 control characters are
// removed, tabs, newlines and line separators become spaces, bidi controls
// and other invisible format characters are removed, invalid UTF-8 becomes
// U+FFFD, and surrounding space is trimmed.
func Clean(s string) string { return clean(s, false) }

// CleanLines is Clean but keeps line breaks (as "\n"), for multi-line text
// such as a meeting's description.
func CleanLines(s string) string { return clean(s, true) }

// Unsafe reports whether r may not reach a terminal as it is: a C0 or C1
// control character, DEL, a bidi control or an invisible format character.
func Unsafe(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || isInvisibleFormat(r)
}

// IsClean reports whether Clean would leave s unchanged.
func IsClean(s string) bool { return Clean(s) == s }

func clean(s string, lines bool) string {
	if isPlain(s) || isSafe(s) {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteRune(utf8.RuneError)
			i += max(size, 1)
			continue
		}
		switch {
		case r == 0x1b: // ESC: skip the whole sequence
			i = skipEscape(s, i+1)
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // C1 OSC, DCS, SOS, PM, APC
			i = skipString(s, i+size)
			continue
		case r == '\n' || r == 0x2028 || r == 0x2029 || r == 0x85:
			if lines {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\r':
			// CRLF is one break; a lone CR is one too.
			if i+1 < len(s) && s[i+1] == '\n' {
				break
			}
			if lines {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t' || r == '\v' || r == '\f':
			b.WriteByte(' ')
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
			// other C0, DEL and C1 controls: drop
		case isInvisibleFormat(r):
			// drop
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	out := b.String()
	if lines {
		return strings.Trim(out, " ")
	}
	return strings.TrimSpace(out)
}

// isPlain reports whether s is printable ASCII only: the common case, and
// nothing to do but trim.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// isSafe reports whether s is valid UTF-8 with nothing for clean to
// change but its surrounding space: names in any script take this path
// without allocating.
func isSafe(s string) bool {
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == utf8.RuneError ||
			r == 0x2028 || r == 0x2029 || isInvisibleFormat(r) {
			return false
		}
	}
	return true
}

// isInvisibleFormat reports bidi embeddings, overrides and isolates, the
// directional marks, zero-width characters and a stray byte order mark:
// characters that reorder or hide text on screen.
func isInvisibleFormat(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e: // LRE RLE PDF LRO RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI RLI FSI PDI
		return true
	case r == 0x200e || r == 0x200f || r == 0x061c: // LRM RLM ALM
		return true
	case r == 0x200b || r == 0x2060 || r == 0xfeff: // ZWSP, word joiner, BOM
		return true
	case r >= 0xfff9 && r <= 0xfffb: // interlinear annotation
		return true
	}
	return false
}

// skipEscape skips the rest of an escape sequence that began with ESC just
// before i, returning the index after it.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// nF sequences: intermediate bytes then one final byte.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte of a
// control sequence.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		switch {
		case c >= 0x40 && c <= 0x7e:
			return i
		case c < 0x20 || c > 0x7e:
			// not part of a well-formed sequence: stop here, the byte
			// is handled (and dropped if it is a control) by the caller
			return i - 1
		}
	}
	return i
}

// skipString skips a control string (OSC, DCS, SOS, PM, APC) up to and
// including its terminator: BEL, ESC \ or C1 ST. An unterminated string
// runs to the end of the text.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i + 1
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}

package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/partnertiers/partnertiers/store/safetext"
)

const ellipsis = "…"

// textWidth is the cells plain text takes, with a fast path for ASCII.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// fit makes plain text exactly w cells wide: cut with an ellipsis when too
// long, padded with spaces when too short.
func fit(s string, w int) string { return fitAligned(s, w, false) }

// fitRight is fit, aligned to the right.
func fitRight(s string, w int) string { return fitAligned(s, w, true) }

func fitAligned(s string, w int, right bool) string {
	if w <= 0 {
		return ""
	}
	sw := textWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, ellipsis)
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		pad := strings.Repeat(" ", w-sw)
		if right {
			return pad + s
		}
		return s + pad
	}
	return s
}

// clip cuts text (styled or not) to at most w cells, with an ellipsis.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, ellipsis)
}

// clipLeft keeps the end of plain text, for paths: "…/partnertiers.db".
func clipLeft(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw <= w {
		return s
	}
	return ansi.TruncateLeft(s, sw-w+1, ellipsis)
}

// fitBlock makes a block of lines exactly h lines of at most w cells: the
// root's last guard that nothing wraps or overflows.
func fitBlock(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = clip(l, w)
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// spread puts left and right on one line of w cells, cutting left first.
func spread(left, right string, w int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if rw > w {
		return clip(right, w)
	}
	if lw+1+rw > w {
		left = clip(left, w-rw-1)
		lw = ansi.StringWidth(left)
	}
	return left + strings.Repeat(" ", max(1, w-lw-rw)) + right
}

// clean makes text from files safe to draw (no controls, escapes or bidi
// overrides). The store cleans names already; this costs nothing when it did.
func clean(s string) string { return safetext.Clean(s) }

// shortPerson shortens "Priya Natarajan" to "Priya N." when it does not fit.
func shortPerson(name string, w int) string {
	if ansi.StringWidth(name) <= w {
		return name
	}
	first, rest, ok := strings.Cut(name, " ")
	if ok && rest != "" {
		r, _ := utf8.DecodeRuneInString(rest)
		if s := first + " " + string(r) + "."; ansi.StringWidth(s) <= w {
			return s
		}
	}
	return name
}

// capitalize upper-cases the first letter of a sentence.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func splitLines(s string) []string { return strings.Split(s, "\n") }

// wrapStyled wraps text (styled or not) at word boundaries, breaking words
// longer than w.
func wrapStyled(s string, w int) string { return ansi.Wrap(s, max(1, w), "") }

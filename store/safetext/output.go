package safetext

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Print makes a command's output safe for a terminal while keeping its
// layout: escape sequences and control characters are removed, except line
// feeds; a tab or a lone carriage return becomes a space and CRLF a line
// feed; bidi controls and invisible format characters are removed; invalid
// UTF-8 becomes U+FFFD. Unlike Clean it keeps spaces and line breaks, so it
// can run over a whole report. Clean text comes back as it is, unallocated.
func Print(s string) string { return filter(s, false) }

// Screen is Print for a frame the app rendered: it also keeps SGR sequences
// (ESC [ params m: colours and text attributes), the only escapes the app's
// own styles write. Whatever else a field smuggled past its cleaning ends
// here.
func Screen(s string) string { return filter(s, true) }

// Writer passes everything written to it through Print: the last guard of
// a command's text output.
type Writer struct{ w io.Writer }

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write writes Print(p). An escape sequence split over two writes loses
// its control bytes all the same: what is left of it prints as text.
func (w *Writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, Print(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// filter copies s without what may not reach a terminal, lazily: the
// common, clean case returns s itself.
func filter(s string, keepSGR bool) string {
	var b strings.Builder
	done := 0 // s[:done] is in b, or needs no copy yet
	cut := func(from, to int, repl string) {
		if b.Cap() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[done:from])
		b.WriteString(repl)
		done = to
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\n' {
			i++
			continue
		}
		if c < 0x80 { // C0 or DEL
			end, repl := i+1, ""
			switch c {
			case 0x1b:
				end = skipEscape(s, i+1)
				if keepSGR && isSGR(s[i:end]) {
					i = end
					continue
				}
			case '\t':
				repl = " "
			case '\r':
				if i+1 >= len(s) || s[i+1] != '\n' {
					repl = " "
				}
			}
			cut(i, end, repl)
			i = end
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		end, repl := i+size, ""
		switch {
		case r == utf8.RuneError && size == 1:
			repl = "\uFFFD"
		case r == 0x9b: // C1 CSI
			end = skipCSI(s, i+size)
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // C1 OSC, DCS, SOS, PM, APC
			end = skipString(s, i+size)
		case r < 0xa0: // other C1 controls
		case r == 0x2028 || r == 0x2029:
			repl = " "
		case isInvisibleFormat(r):
		default:
			i = end
			continue
		}
		cut(i, end, repl)
		i = end
	}
	if b.Cap() == 0 {
		return s // nothing was cut
	}
	b.WriteString(s[done:])
	return b.String()
}

// isSGR reports whether seq is one whole Select Graphic Rendition
// sequence: ESC [, digits, ';' or ':', then 'm'.
func isSGR(seq string) bool {
	if len(seq) < 3 || seq[1] != '[' || seq[len(seq)-1] != 'm' {
		return false
	}
	for i := 2; i < len(seq)-1; i++ {
		if c := seq[i]; (c < '0' || c > '9') && c != ';' && c != ':' {
			return false
		}
	}
	return true
}

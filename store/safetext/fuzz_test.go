package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzClean: whatever goes in, what comes out of Clean, CleanLines, Print
// and Screen is valid UTF-8 with no control character (but the line feeds
// CleanLines, Print and Screen keep), no escape (but Screen's SGR) and no
// bidi control, and cleaning twice changes nothing. The seed corpus is in
// testdata/fuzz/FuzzClean: every payload of issue 7 and the odd shapes of
// broken sequences.
func FuzzClean(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if strings.ContainsRune(c, '\n') {
			t.Fatalf("Clean left a newline in %q", c)
		}
		if Clean(c) != c {
			t.Fatalf("Clean is not idempotent on %q: %q then %q", s, c, Clean(c))
		}
		if c != strings.TrimSpace(c) {
			t.Fatalf("Clean left surrounding space: %q", c)
		}
		p := Print(s)
		if Print(p) != p {
			t.Fatalf("Print is not idempotent on %q: %q then %q", s, p, Print(p))
		}
		scr := Screen(s)
		if Print(scr) != p {
			t.Fatalf("Screen kept more than SGR: Print(Screen(%q)) = %q, Print = %q", s, Print(scr), p)
		}
		for name, out := range map[string]string{"Clean": c, "CleanLines": CleanLines(s), "Print": p, "Screen": withoutSGR(t, scr)} {
			if !utf8.ValidString(out) {
				t.Fatalf("%s(%q) is not UTF-8: %q", name, s, out)
			}
			for _, r := range out {
				if r != '\n' && (r < 0x20 || (r >= 0x7f && r < 0xa0) || isInvisibleFormat(r)) {
					t.Fatalf("%s(%q) kept %U: %q", name, s, r, out)
				}
			}
		}
	})
}

// withoutSGR removes the SGR sequences Screen keeps, failing on any other
// escape.
func withoutSGR(t *testing.T, s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], 'm')
		if end < 0 || !isSGR(s[i:i+end+1]) {
			t.Fatalf("Screen kept an escape that is not SGR: %q", s[i:])
		}
		s = s[i+end+1:]
	}
}

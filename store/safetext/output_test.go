package safetext

import (
	"bytes"
	"strings"
	"testing"
)

// hostile are the payloads of issue 7, each around the text "Acme".
var hostile = []struct{ name, in string }{
	{"OSC 0 title", "Ac\x1b]0;pwned\x07me"},
	{"OSC 8 hyperlink", "\x1b]8;;https://evil.example\x1b\\Acme\x1b]8;;\x1b\\"},
	{"OSC 52 clipboard", "Acme\x1b]52;c;cm0gLXJmIH4K\x07"},
	{"CSI 2J", "\x1b[2J\x1b[HAcme"},
	{"C1 CSI", "Ac\u009b2Jme"},
	{"C1 OSC", "Ac\u009d0;pwned\u009cme"},
	{"RLO", "Acme\u202e"},
	{"isolates", "\u2066Acme\u2069"},
	{"DCS", "Acme\x1bP1$r\x1b\\"},
	{"APC", "Acme\x1b_Gf=100\x1b\\"},
	{"DEL and NUL", "Ac\x7f\x00me"},
	{"SGR", "\x1b[1;31mAcme\x1b[0m"},
}

func TestPrint(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"layout kept", "  name      value\n  Acme  $1,000\n", "  name      value\n  Acme  $1,000\n"},
		{"unicode kept", "Société — 東京 ▲ …\n", "Société — 東京 ▲ …\n"},
		{"CRLF", "a\r\nb\r\n", "a\nb\n"},
		{"lone CR", "Carriage\rReturn", "Carriage Return"},
		{"tab", "a\tb", "a b"},
		{"line separator", "a\u2028b", "a b"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"other C1 controls", "a\u0085\u0091\u009cb", "ab"},
		{"CSI without its final byte", "a\x1b[31\nb", "a\nb"},
		{"unterminated OSC", "a\x1b]0;title", "a"},
		{"lone ESC at the end", "a\x1b", "a"},
	}
	for _, h := range hostile {
		tests = append(tests, struct{ name, in, want string }{h.name, h.in, "Acme"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Print(tt.in); got != tt.want {
				t.Errorf("Print(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestScreen(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"SGR kept", "\x1b[1;38;2;10;20;30mAcme\x1b[m", "\x1b[1;38;2;10;20;30mAcme\x1b[m"},
		{"SGR with colons", "\x1b[4:3mAcme\x1b[0m", "\x1b[4:3mAcme\x1b[0m"},
		{"lines kept", "a\nb", "a\nb"},
		{"other CSI dropped", "\x1b[2J\x1b[1;1HAcme\x1b[?25l", "Acme"},
		{"SGR with a private marker dropped", "\x1b[>4;2mAcme", "Acme"},
		{"OSC between styles", "\x1b[31m\x1b]0;pwned\x07Acme\x1b[0m", "\x1b[31mAcme\x1b[0m"},
		{"C1 CSI dropped", "\u009b31mAcme", "Acme"},
		{"bidi dropped", "\x1b[1mAcme\u202e\x1b[0m", "\x1b[1mAcme\x1b[0m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Screen(tt.in); got != tt.want {
				t.Errorf("Screen(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestCleanTextUnchanged: text with nothing to remove comes back as the
// same string, without a copy.
func TestCleanTextUnchanged(t *testing.T) {
	for _, s := range []string{"Northwind Global", "Société Générale — 東京", "│ ▲ Gold  3 h/wk …\n"} {
		if got := Print(s); got != s {
			t.Errorf("Print(%q) = %q", s, got)
		}
		if n := testing.AllocsPerRun(10, func() { _ = Print(s); _ = Screen(s) }); n != 0 {
			t.Errorf("Screen(%q) allocates %.0f times", s, n)
		}
		if trimmed := strings.TrimSpace(s); Clean(trimmed) != trimmed {
			t.Errorf("Clean(%q) changed it", trimmed)
		} else if n := testing.AllocsPerRun(10, func() { _ = Clean(trimmed) }); n != 0 {
			t.Errorf("Clean(%q) allocates %.0f times", trimmed, n)
		}
	}
}

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	in := "Acme\x1b]0;pwned\x07 · Gold\n"
	n, err := w.Write([]byte(in))
	if err != nil || n != len(in) {
		t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(in))
	}
	// A sequence split over two writes: its control bytes go all the same.
	w.Write([]byte("Ac\x1b"))
	w.Write([]byte("[2Jme\n"))
	if got, want := buf.String(), "Acme · Gold\nAc[2Jme\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
}

// Benchmarks: Clean runs on every visible name of every frame, Screen on
// every frame.
func BenchmarkClean(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"ascii", "Brightpath Analytics"},
		{"unicode", "Société Générale — 東京"},
		{"hostile", "Bright\x1b]0;pwned\x07path\u202e Analytics\r"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Clean(bc.in)
			}
		})
	}
}

func BenchmarkScreen(b *testing.B) {
	// A 120×40 frame of styled rows, like the Partners tab.
	row := "\x1b[1m▲\x1b[m \x1b[38;2;200;200;200mBrightpath Analytics      \x1b[m \x1b[2mReseller  Priya N.  Jan 2025\x1b[m  $240k  ▁▂▅█  1.0/0.25" + strings.Repeat(" ", 20)
	frame := strings.Repeat(row+"\n", 40)
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		_ = Screen(frame)
	}
}

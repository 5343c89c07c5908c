package safetext

import (
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "  Northwind Global ", "Northwind Global"},
		{"unicode kept", "Société Générale — 東京", "Société Générale — 東京"},
		{"CSI colour", "\x1b[31mRed\x1b[0m Co", "Red Co"},
		{"CSI clear screen", "Acme\x1b[2J\x1b[H", "Acme"},
		{"OSC title BEL", "\x1b]0;pwned\x07Acme", "Acme"},
		{"OSC hyperlink ST", "\x1b]8;;https://evil.example\x1b\\Click\x1b]8;;\x1b\\", "Click"},
		{"DCS", "A\x1bPq#0;2;0;0;0\x1b\\B", "AB"},
		{"two-byte escape", "A\x1bcB", "AB"},
		{"C1 CSI", "A\u009b31mB", "AB"},
		{"C1 OSC", "A\u009d0;x\u009cB", "AB"},
		{"C0 controls", "A\x00B\x07C\x08D\x7fE", "ABCDE"},
		{"newlines to spaces", "Acme\r\nCorp\nInc\rLtd", "Acme Corp Inc Ltd"},
		{"tab", "Acme\tCorp", "Acme Corp"},
		{"bidi override", "Acme\u202eevil\u202c", "Acmeevil"},
		{"bidi isolates and marks", "\u2066A\u2069\u200fB\u200e", "AB"},
		{"zero width and BOM", "A\u200bB\ufeffC", "ABC"},
		{"invalid UTF-8", "A\xffB", "A\uFFFDB"},
		{"line separator", "A\u2028B", "A B"},
		{"unterminated OSC eats the rest", "Acme\x1b]0;title", "Acme"},
		{"lone ESC at end", "Acme\x1b", "Acme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanLines(t *testing.T) {
	got := CleanLines("Agenda:\r\n1. \x1b[1mpipeline\x1b[0m\n2. deals\u2028end")
	want := "Agenda:\n1. pipeline\n2. deals\nend"
	if got != want {
		t.Errorf("CleanLines = %q, want %q", got, want)
	}
}

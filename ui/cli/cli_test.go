package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// run executes one command line in a fresh home and returns its exit code
// and output.
func run(t *testing.T, home string, args ...string) (int, string, string) {
	t.Helper()
	example, err := os.ReadFile(filepath.Join("..", "..", "config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	env := map[string]string{
		"HOME":              home,
		"XDG_CONFIG_HOME":   filepath.Join(home, "config"),
		"XDG_DATA_HOME":     filepath.Join(home, "data"),
		"PARTNERTIERS_USER": "dana",
	}
	code := Run(args, Env{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv:  func(k string) string { return env[k] },
		Now:     func() time.Time { return time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC) },
		Example: example, Version: "test",
	})
	return code, stdout.String(), stderr.String()
}

func TestExitCodes(t *testing.T) {
	home := t.TempDir()
	if code, out, errOut := run(t, home, "init", "--sample"); code != ExitOK {
		t.Fatalf("init --sample: %d\n%s%s", code, out, errOut)
	}
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"version", []string{"--version"}, ExitOK, "partnertiers test"},
		{"help", []string{"--help"}, ExitOK, "Exit codes: 0 ok"},
		{"help on a command", []string{"review", "--help"}, ExitOK, "review decide PARTNER override TIER"},
		{"show", []string{"show", "brightpath"}, ExitOK, "Brightpath Analytics"},
		{"unknown partner", []string{"show", "qqqqzzzz"}, ExitFail, "no partner matches"},
		{"failed check", []string{"check"}, ExitFail, "no demotion in the last twelve months"},
		{"missing argument", []string{"show"}, ExitUsage, "want a partner NAME"},
		{"unknown flag", []string{"show", "acme", "--jsn"}, ExitUsage, "flag provided but not defined: -jsn"},
		{"unknown command", []string{"shwo"}, ExitUsage, `unknown command "shwo"`},
		{"bad period", []string{"review", "--period", "2026-Q9"}, ExitUsage, "quarter must be Q1 to Q4"},
		{"period of the wrong cadence", []string{"review", "--period", "2026-H1"}, ExitUsage, "does not fit the quarterly cadence"},
		{"bad export format", []string{"export", "partners", "--format", "xml"}, ExitUsage, "want csv, json or md"},
		{"missing file", []string{"import", "partners", "nope.csv"}, ExitFail, "nope.csv"},
		{"the app without a terminal", nil, ExitFail, "needs a terminal"},
		{"size without sample", []string{"init", "--size", "10"}, ExitUsage, "goes with --sample"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, home, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out+errOut, tt.says) {
				t.Errorf("output does not say %q\nstdout: %s\nstderr: %s", tt.says, out, errOut)
			}
		})
	}
}

func TestNoStoreYet(t *testing.T) {
	home := t.TempDir()
	code, _, errOut := run(t, home, "show", "acme")
	if code != ExitFail || !strings.Contains(errOut, "run `partnertiers init`") {
		t.Errorf("exit %d, stderr %q: want a hint to run init", code, errOut)
	}
}

package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runTerminal runs a command line as run does, but with the output
// declared a terminal (or not) and a clock that moves 40 ms a reading,
// so a progress bar throttled to 100 ms has something to draw.
func runTerminal(t *testing.T, home string, interactive bool, args ...string) (int, string, string) {
	t.Helper()
	example, err := os.ReadFile(filepath.Join("..", "..", "config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"HOME":            home,
		"XDG_CONFIG_HOME": filepath.Join(home, "config"),
		"XDG_DATA_HOME":   filepath.Join(home, "data"),
	}
	clock := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	var stdout, stderr bytes.Buffer
	code := Run(args, Env{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv:  func(k string) string { return env[k] },
		Now:     func() time.Time { clock = clock.Add(40 * time.Millisecond); return clock },
		Example: example, Version: "test", Interactive: interactive,
	})
	return code, stdout.String(), stderr.String()
}

func TestImportProgress(t *testing.T) {
	home := t.TempDir()
	if code, out, errOut := runTerminal(t, home, false, "init"); code != ExitOK {
		t.Fatalf("init: %d\n%s%s", code, out, errOut)
	}
	var deals strings.Builder
	deals.WriteString("Opportunity ID,Partner Account,Amount,Stage,Created Date,Close Date,Partner Sourced\n")
	var rows strings.Builder
	rows.WriteString("partner,period,certified_reps\n")
	for i := range 300 {
		fmt.Fprintf(&deals, "D%d,Partner %d,100,Closed Won,2026-01-15,2026-02-20,yes\n", i, i)
		fmt.Fprintf(&rows, "Partner %d,2026-Q1,%d\n", i, i%5)
	}
	files := map[string]string{"deals.csv": deals.String(), "rows.csv": rows.String()}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(home, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name        string
		interactive bool
		args        []string
	}{
		{"deals on a terminal", true, []string{"--shape", "deals", "--create-partners", "--dry-run"}},
		{"deals in a pipe", false, []string{"--shape", "deals", "--create-partners", "--dry-run"}},
		{"rows on a terminal", true, []string{"--create-partners", "--dry-run"}},
		{"rows in a pipe", false, []string{"--create-partners", "--dry-run"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := "rows.csv"
			if strings.HasPrefix(tt.name, "deals") {
				file = "deals.csv"
			}
			args := append([]string{"import", "production", filepath.Join(home, file)}, tt.args...)
			code, out, errOut := runTerminal(t, home, tt.interactive, args...)
			if code != ExitOK || !strings.Contains(out, "300 rows read, 300 would be written") {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			if !tt.interactive {
				if errOut != "" {
					t.Errorf("a pipe got %q on stderr", errOut)
				}
				return
			}
			// Throttled: 300 rows at 40 ms a reading draw about a third of them.
			frames := strings.Count(errOut, "\r"+"importing "+file)
			if frames < 10 || frames > 150 {
				t.Errorf("%d frames for 300 rows", frames)
			}
			for _, want := range []string{"importing " + file + " ", "█", "100% 300/300 rows\x1b[K"} {
				if !strings.Contains(errOut, want) {
					t.Errorf("the progress lacks %q:\n%q", want, errOut)
				}
			}
			if !strings.HasSuffix(errOut, "\r\x1b[K") || strings.Contains(out, "\r") {
				t.Errorf("the bar was not cleared before the report:\nstderr %q\nstdout %q", errOut, out)
			}
		})
	}
}

func TestProgressBarThrottle(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	bar := newProgressBar(&out, "importing a-very-long-file-name-of-a-crm-export.csv", func() time.Time { return clock })
	for i := range 100 { // all within one instant: only the first and the last are drawn
		bar.rows(i+1, 100)
	}
	bar.done()
	got := out.String()
	if n := strings.Count(got, "\r"); n != 3 {
		t.Errorf("%d carriage returns, want the first frame, the last and the clearing:\n%q", n, got)
	}
	for _, line := range strings.Split(got, "\r") {
		if w := len([]rune(strings.TrimSuffix(line, "\x1b[K"))); w > 80 {
			t.Errorf("a line of %d cells wraps on an 80-column terminal: %q", w, line)
		}
	}
	if !strings.Contains(got, "importing a-very-long-file-name-… ") {
		t.Errorf("label not shortened: %q", got)
	}
}

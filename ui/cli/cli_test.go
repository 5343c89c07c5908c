package cli

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
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
	return runStdin(t, home, strings.NewReader(""), args...)
}

// runStdin is run with stdin.
func runStdin(t *testing.T, home string, stdin io.Reader, args ...string) (int, string, string) {
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
		Stdin: stdin, Stdout: &stdout, Stderr: &stderr,
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
		{"ambiguous partner", []string{"show", "cloud"}, ExitFail, "say which"},
		{"override without a reason", []string{"review", "decide", "northwind", "override", "gold"}, ExitFail, "an override needs a reason"},
		{"finalize with undecided moves", []string{"review", "finalize"}, ExitFail, "decide these moves first"},
		{"export review of a half on a quarterly program", []string{"export", "review", "--period", "2026-H1"}, ExitUsage, "does not fit the quarterly cadence"},
		{"--partner without scorecards", []string{"export", "partners", "--partner", "acme"}, ExitUsage, "--partner goes with scorecards"},
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

// TestUsageBeforeConfig: a mistake in the command line is a usage error
// (exit 2) even in a home with no config or store yet.
func TestUsageBeforeConfig(t *testing.T) {
	home := t.TempDir()
	for _, args := range [][]string{
		{"export", "foo"},
		{"review", "bogus"},
		{"review", "--period", "2026-Q9"},
		{"align", "--week", "bad"},
		{"import", "stuff", "x.csv"},
	} {
		if code, _, errOut := run(t, home, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want 2: %s", args, code, errOut)
		}
	}
}

func TestNoStoreYet(t *testing.T) {
	home := t.TempDir()
	code, _, errOut := run(t, home, "show", "acme")
	if code != ExitFail || !strings.Contains(errOut, "run `partnertiers init`") {
		t.Errorf("exit %d, stderr %q: want a hint to run init", code, errOut)
	}
}

func TestImportCalendarFromURL(t *testing.T) {
	const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:Northwind QBR\r\n" +
		"DTSTART:20261110T150000Z\r\nDTEND:20261110T160000Z\r\nATTENDEE:mailto:pm@northwind.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/calendar/secret-token-123/basic.ics" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, ics)
	}))
	defer srv.Close()

	home := t.TempDir()
	if code, out, errOut := run(t, home, "init", "--sample"); code != ExitOK {
		t.Fatalf("init: %s%s", out, errOut)
	}
	var all strings.Builder
	runWith := func(args ...string) (int, string) {
		var out bytes.Buffer
		defer func() { all.WriteString(out.String()) }()
		env := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, "config"), "XDG_DATA_HOME": filepath.Join(home, "data")}
		example, _ := os.ReadFile(filepath.Join("..", "..", "config.example.toml"))
		code := Run(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(k string) string { return env[k] },
			Now: func() time.Time { return time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC) }, Example: example, HTTP: srv.Client()})
		return code, out.String()
	}
	code, out := runWith("import", "calendar", srv.URL+"/calendar/secret-token-123/basic.ics")
	if code != ExitOK || !strings.Contains(out, "1 meeting read") {
		t.Fatalf("import from URL: exit %d\n%s", code, out)
	}
	code, out = runWith("import", "calendar", srv.URL+"/calendar/wrong-token-456/basic.ics")
	if code != ExitFail || !strings.Contains(out, "404") {
		t.Errorf("a missing calendar: exit %d\n%s", code, out)
	}
	code, out = runWith("import", "calendar", "http://example.invalid/private/secret-token-789.ics")
	if code != ExitFail || !strings.Contains(out, "only https") {
		t.Errorf("plain http: exit %d\n%s", code, out)
	}
	// A server that is not there: the connection error must not quote the
	// address either.
	closed := httptest.NewTLSServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	code, out = runWith("import", "calendar", closedURL+"/calendar/secret-token-000/basic.ics")
	if code != ExitFail {
		t.Errorf("a closed server: exit %d\n%s", code, out)
	}
	// Output to a pipe: no progress bar.
	if strings.Contains(all.String(), "downloading") || strings.Contains(all.String(), "\r") {
		t.Errorf("a pipe got the progress bar:\n%q", all.String())
	}
	for _, secret := range []string{"secret-token", "wrong-token", "basic.ics"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("the output shows the secret address:\n%s", all.String())
		}
	}
	if code, out := runWith("align", "--week", "2026-W46", "--json"); code != ExitOK || !strings.Contains(out, `"week": "2026-W46"`) {
		t.Errorf("align: exit %d\n%s", code, out)
	}
}

func TestProgressReader(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(150 * time.Millisecond); return clock }
	data := strings.Repeat("x", 3<<20)
	pr := newProgressReader(strings.NewReader(data), &out, "downloading https://cal.example/…", int64(len(data)), now)
	got, err := io.ReadAll(pr)
	pr.done()
	if err != nil || len(got) != len(data) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
	s := out.String()
	if !strings.Contains(s, "100% 3.0 MB") || !strings.Contains(s, "downloading https://cal.example/…") || !strings.HasSuffix(s, "\r\x1b[K") {
		t.Errorf("progress output = %q", s)
	}
}

// TestSampleNeedsTheExampleProgram: with a config the sample does not fit,
// init --sample says so and writes nothing (it used to write the roster,
// fail on production, and refuse every retry).
func TestSampleNeedsTheExampleProgram(t *testing.T) {
	home := t.TempDir()
	example, err := os.ReadFile(filepath.Join("..", "..", "config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(example), "key = \"employees\"", "key = \"headcount\"", 1)
	cfgDir := filepath.Join(home, "config", "partnertiers")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, home, "init", "--sample")
	if code != ExitFail || !strings.Contains(errOut, "does not fit") || !strings.Contains(errOut, "employees") {
		t.Fatalf("init --sample on an edited config: exit %d, %s", code, errOut)
	}
	_, out, _ := run(t, home, "export", "partners", "--format", "csv")
	if n := strings.Count(out, "\n"); n != 1 {
		t.Errorf("the store holds %d rows after the refused sample, want none:\n%s", n-1, out)
	}
}

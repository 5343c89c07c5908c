package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

// sparseFile is a file of size bytes that takes no room on disk.
func sparseFile(t *testing.T, name string, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// endless is a reader that never runs out: a roster row, again and again.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	const row = "acme-9,Acme 9,reseller,Dana Reyes,acme9.example,,registered,2024-01-01\n"
	for i := range p {
		p[i] = row[(e.read+int64(i))%int64(len(row))]
	}
	e.read += int64(len(p))
	return len(p), nil
}

// TestHugeInputRefused: a 200 MB file or an endless stdin is refused with
// the limit in words, and nothing is written.
func TestHugeInputRefused(t *testing.T) {
	home := t.TempDir()
	if code, out, errOut := run(t, home, "init", "--sample"); code != ExitOK {
		t.Fatalf("init --sample: %d\n%s%s", code, out, errOut)
	}
	_, before, _ := run(t, home, "export", "partners", "--format", "csv")
	tests := []struct {
		name  string
		args  []string
		stdin io.Reader
		says  string
	}{
		{"roster", []string{"import", "partners", sparseFile(t, "roster.csv", 210<<20)}, nil,
			"import: roster.csv: 210 MB is over the 64 MB limit for an import file"},
		{"production", []string{"import", "production", sparseFile(t, "deals.csv", 200<<20), "--shape", "deals"}, nil,
			"import: deals.csv: 200 MB is over the 64 MB limit for an import file"},
		{"calendar", []string{"import", "calendar", sparseFile(t, "team.ics", 200<<20)}, nil,
			"import: team.ics: 200 MB is over the 64 MB limit for an import file"},
		{"one byte over", []string{"import", "partners", sparseFile(t, "roster.csv", maxImportBytes+1)}, nil,
			"import: roster.csv: 65 MB is over the 64 MB limit for an import file"},
		{"stdin", []string{"import", "partners", "-"}, &endless{},
			"import: stdin: more than the 64 MB limit for an import file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdin := tt.stdin
			if stdin == nil {
				stdin = strings.NewReader("")
			}
			code, out, errOut := runStdin(t, home, stdin, tt.args...)
			if code != ExitFail || !strings.Contains(errOut, tt.says) {
				t.Errorf("exit %d, want 1 saying %q\nstdout: %s\nstderr: %s", code, tt.says, out, errOut)
			}
			if e, ok := stdin.(*endless); ok && e.read > maxImportBytes+64<<10 {
				t.Errorf("read %d bytes of stdin, want at most the limit and a buffer", e.read)
			}
		})
	}
	if _, after, _ := run(t, home, "export", "partners", "--format", "csv"); after != before {
		t.Errorf("a refused import changed the partners")
	}
}

// TestInputUnderTheLimit: files and stdin under the limit are read whole
// and named for messages; a file name is cleaned like any text.
func TestInputUnderTheLimit(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "roster.csv")
	hostile := filepath.Join(dir, "ros\x1b]0;pwned\x07ter.csv")
	for _, p := range []string{plain, hostile} {
		if err := os.WriteFile(p, []byte("id,name\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, file, stdin, wantName string
		wantErr                     string
	}{
		{"file", plain, "", "roster.csv", ""},
		{"stdin", "-", "id,name\n", "stdin", ""},
		{"hostile file name", hostile, "", "roster.csv", ""},
		{"missing file", filepath.Join(dir, "nope\x1b[2J.csv"), "", "", "nope.csv: no such file or directory"},
		{"a folder", dir, "", "", "is a folder, not a file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &ctx{env: Env{Stdin: strings.NewReader(tt.stdin)}}
			data, name, err := c.readInput(tt.file)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.ContainsRune(err.Error(), 0x1b) {
					t.Fatalf("error %q, want one saying %q with no escape", err, tt.wantErr)
				}
				return
			}
			if err != nil || string(data) != "id,name\n" || name != tt.wantName {
				t.Errorf("readInput = %q, %q, %v; want the file named %q", data, name, err, tt.wantName)
			}
		})
	}
}

// a file of exactly the limit is read, one byte more is not.
func TestInputExactlyAtTheLimit(t *testing.T) {
	c := &ctx{env: Env{Stdin: strings.NewReader("")}}
	data, _, err := c.readInput(sparseFile(t, "at.csv", maxImportBytes))
	if err != nil || len(data) != maxImportBytes {
		t.Fatalf("a file of exactly %d bytes: %d bytes, %v; want it read", maxImportBytes, len(data), err)
	}
}

// a dry run's change lines print partner ids and metric
// labels clean (import does not guard its output with safeOutput).
func TestDryRunChangesPrintClean(t *testing.T) {
	var buf bytes.Buffer
	prog := &model.Program{Cadence: model.Quarterly, Metrics: []model.Metric{{Key: "m", Label: "M\x1b]0;x\x07", Unit: model.Count}}}
	p, _ := model.ParsePeriod("2026-Q3")
	printChanges(&buf, []store.Change{{Partner: "acme\x1b[2J", Period: p, Values: []store.ValueChange{{Metric: "m", To: 1, Added: true}}}}, prog)
	if bytes.IndexByte(buf.Bytes(), 0x1b) >= 0 {
		t.Fatalf("dry-run changes hold an escape: %q", buf.String())
	}
}

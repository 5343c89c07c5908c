package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportDealsShape(t *testing.T) {
	home := t.TempDir()
	if code, out, errOut := run(t, home, "init"); code != ExitOK {
		t.Fatalf("init: %d\n%s%s", code, out, errOut)
	}
	file := filepath.Join(home, "deals.csv")
	data := "\xef\xbb\xbfOpportunity ID,Partner Account,Amount,Stage,Created Date,Close Date,Partner Sourced,Deal Registration Date\r\n" +
		"006A,\"Acme, Inc.\",\"$1,234.50\",Closed Won,2026-01-15,2026-02-20,TRUE,2026-01-10\r\n" +
		"006B,\"Acme, Inc.\",,Prospecting,2026-02-01,,no,\r\n"
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, home, "import", "production", file, "--shape", "deals", "--create-partners")
	if code != ExitOK || !strings.Contains(out, "deals.csv: 2 rows read, 2 written") || !strings.Contains(out, "created partner acme-inc") ||
		!strings.Contains(errOut, "warning: deals.csv:3: Amount: blank amount: counted as zero") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	code, out, _ = run(t, home, "import", "production", file, "--shape", "deals")
	if code != ExitOK || !strings.Contains(out, "already imported") {
		t.Errorf("re-import: exit %d\n%s", code, out)
	}
	if code, _, errOut := run(t, home, "import", "production", file, "--shape", "opportunities"); code != ExitUsage || !strings.Contains(errOut, "want rows or deals") {
		t.Errorf("bad shape: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := run(t, home, "import", "partners", file, "--shape", "deals"); code != ExitUsage {
		t.Errorf("deals shape for partners: exit %d\n%s", code, errOut)
	}
}

// crmDeals is a Salesforce export naming one partner the roster lacks.
const crmDeals = "Opportunity ID,Partner Account,Amount,Stage,Created Date,Close Date,Partner Sourced\n" +
	"006A,Acme Inc,\"$1,234.50\",Closed Won,2026-01-15,2026-04-20,TRUE\n" +
	"006B,Acme Inc,100,Prospecting,2026-02-01,,no\n"

func TestImportDryRun(t *testing.T) {
	home := t.TempDir()
	if code, out, errOut := run(t, home, "init"); code != ExitOK {
		t.Fatalf("init: %d\n%s%s", code, out, errOut)
	}
	file := filepath.Join(home, "deals.csv")
	if err := os.WriteFile(file, []byte(crmDeals), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(home, "data", "partnertiers", "partnertiers.db")
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, home, "import", "production", file, "--shape", "deals", "--create-partners", "--dry-run")
	for _, want := range []string{
		"deals.csv: 2 rows read, 2 would be written (dry run: nothing was)\n",
		"would create partner acme-inc at the entry tier\n",
		"1 partner would change:\n",
		"  acme-inc 2026-Q1 Sourced pipeline: none → $1,234.50\n",
		"  acme-inc 2026-Q2 Sourced revenue: none → $1,234.50\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q\nstdout: %s\nstderr: %s", want, out, errOut)
		}
	}
	if code != ExitOK {
		t.Errorf("dry run: exit %d", code)
	}
	if after, _ := os.ReadFile(db); string(after) != string(before) {
		t.Error("the dry run changed the store")
	}
	// The real import is not taken for the dry run.
	if code, out, _ := run(t, home, "import", "production", file, "--shape", "deals", "--create-partners"); code != ExitOK ||
		!strings.Contains(out, "2 rows read, 2 written") || !strings.Contains(out, "created partner acme-inc") {
		t.Errorf("import after the dry run: exit %d\n%s", code, out)
	}
	// The same deals in other bytes: nothing left to change.
	again := filepath.Join(home, "again.csv")
	if err := os.WriteFile(again, []byte(crmDeals+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := run(t, home, "import", "production", again, "--shape", "deals", "--dry-run"); !strings.Contains(out, "no production would change") {
		t.Errorf("dry run of the same deals:\n%s", out)
	}
}

func TestImportPeriodFlag(t *testing.T) {
	home := t.TempDir()
	if code, out, errOut := run(t, home, "init"); code != ExitOK {
		t.Fatalf("init: %d\n%s%s", code, out, errOut)
	}
	file := filepath.Join(home, "deals.csv")
	if err := os.WriteFile(file, []byte(crmDeals), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"bad period", []string{"production", file, "--period", "2026-Q5"}, ExitUsage, "import: --period: "},
		{"wrong cadence", []string{"production", file, "--period", "2026-H1"}, ExitUsage, "import: --period 2026-H1 does not fit the quarterly cadence"},
		{"not for partners", []string{"partners", file, "--period", "2026-Q1"}, ExitUsage, "--period is for production"},
		{"not for a calendar", []string{"calendar", file, "--dry-run"}, ExitUsage, "--dry-run and --period are for partners and production"},
		{"deals of one quarter", []string{"production", file, "--shape", "deals", "--create-partners", "--period", "2026-Q2"}, ExitOK,
			"deals.csv: 2 rows read, 1 written\n1 row outside 2026-Q2 ignored\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, home, append([]string{"import"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out+errOut, tt.says) {
				t.Errorf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", code, tt.code, tt.says, out, errOut)
			}
		})
	}
	// 006A counts in Q2 (won there) and is stored whole: its Q2 revenue and
	// its Q1 pipeline; the other deal, Q1 only, was not read.
	_, out, _ := run(t, home, "export", "production", "--format", "csv")
	if !strings.Contains(out, "acme-inc,2026-Q2,0,1234.5,") || !strings.Contains(out, "acme-inc,2026-Q1,1234.5,0,") {
		t.Errorf("production after the Q2 import:\n%s", out)
	}
}

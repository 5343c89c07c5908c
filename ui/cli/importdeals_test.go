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

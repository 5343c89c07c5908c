package cli

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestScorecardGolden: the partner-facing card, read by eye in
// testdata/*.md; go test ./ui/cli -update rewrites them.
func TestScorecardGolden(t *testing.T) {
	home := t.TempDir()
	if code, out, errOut := run(t, home, "init", "--sample"); code != ExitOK {
		t.Fatalf("init: %s%s", out, errOut)
	}
	for _, who := range []string{"northwind-global", "brightpath-analytics", "canopy-logic"} {
		code, out, errOut := run(t, home, "export", "scorecards", "--format", "md", "--partner", who)
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", who, code, errOut)
		}
		golden := filepath.Join("testdata", "scorecard_"+who+".md")
		if *update {
			if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if out != string(want) {
			t.Errorf("%s differs from %s (go test ./ui/cli -update rewrites it):\n%s", who, golden, out)
		}
	}
}

func TestExportsParseBack(t *testing.T) {
	home := t.TempDir()
	if code, _, errOut := run(t, home, "init", "--sample"); code != ExitOK {
		t.Fatal(errOut)
	}
	// Production as CSV: a header, then one row per partner and period.
	_, out, _ := run(t, home, "export", "production", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "partner,period,sourced_pipeline,sourced_revenue,certified_reps,joint_customers,registered_deals,employees"
	if got := strings.Join(rows[0], ","); got != wantHeader {
		t.Errorf("production CSV header %q, want %q", got, wantHeader)
	}
	nw := 0
	for _, r := range rows[1:] {
		if len(r) != 8 {
			t.Fatalf("row %v has %d cells, want 8", r, len(r))
		}
		if r[0] == "northwind-global" {
			nw++
		}
	}
	if nw != 4 {
		t.Errorf("northwind-global has %d production rows, want its 4 quarters", nw)
	}
	// Production as JSON: numbers, not strings.
	_, out, _ = run(t, home, "export", "production", "--format", "json")
	var prod []map[string]any
	if err := json.Unmarshal([]byte(out), &prod); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range prod {
		if r["partner"] == "northwind-global" {
			if _, ok := r["certified_reps"].(float64); !ok {
				t.Errorf("certified_reps is %T, want a number", r["certified_reps"])
			}
			found = true
		}
	}
	if !found {
		t.Error("no production rows for northwind-global")
	}
	// Scorecards as JSON and CSV.
	_, out, _ = run(t, home, "export", "scorecards", "--format", "json")
	var cards []scorecard
	if err := json.Unmarshal([]byte(out), &cards); err != nil || len(cards) != 80 {
		t.Fatalf("scorecards JSON: %d cards, %v", len(cards), err)
	}
	_, out, _ = run(t, home, "export", "scorecards", "--format", "csv")
	if rows, err := csv.NewReader(strings.NewReader(out)).ReadAll(); err != nil || len(rows) != 81 {
		t.Fatalf("scorecards CSV: %d rows, %v", len(rows), err)
	}

	// -o: a file written whole, a folder of one card per partner.
	file := filepath.Join(home, "history.json")
	if code, _, errOut := run(t, home, "export", "history", "--format", "json", "-o", file); code != ExitOK || !strings.Contains(errOut, "wrote") {
		t.Fatalf("-o file: %s", errOut)
	}
	if data, err := os.ReadFile(file); err != nil || !json.Valid(data) {
		t.Errorf("history.json: %v", err)
	}
	dir := filepath.Join(home, "cards")
	if code, _, errOut := run(t, home, "export", "scorecards", "--format", "md", "-o", dir); code != ExitOK {
		t.Fatal(errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 80 {
		t.Errorf("%d scorecards in %s, want 80", len(entries), dir)
	}
	if code, _, errOut := run(t, home, "export", "scorecards", "--format", "md", "-o", file); code != ExitFail || !strings.Contains(errOut, "names a folder") {
		t.Errorf("-o onto a file: exit %d, %s", code, errOut)
	}
}

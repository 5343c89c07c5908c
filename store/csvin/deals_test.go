package csvin

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/partnertiers/partnertiers/model"
)

const dealsHeader = "Opportunity ID,Partner Account,Amount,Stage,Created Date,Close Date,Partner Sourced,Deal Registration Date\n"

func TestParseDeals(t *testing.T) {
	type want struct {
		id, partner string
		cents       int64
		stage       model.Stage
		created     string
		closed      string
		registered  string
		sourced     bool
	}
	tests := []struct {
		name     string
		data     string
		cols     func(*DealColumns)
		rows     []want
		bad      []string // "line: column: reason" substrings, in order
		warnings []string
	}{
		{
			name: "salesforce quirks",
			data: "\xef\xbb\xbf" + strings.ReplaceAll(dealsHeader+
				`006A,"Acme, Inc.","$1,234.50",Closed Won,2026-01-15,2026-02-20,TRUE,2026-01-10
006B,Acme,1234.5,closed lost,1/5/2026,3/31/2026,no,
006C,Globex,"USD 1,234",Prospecting,2026-04-01,2026-06-30,X,
006D,"Initech
Holdings",,Negotiation,2026-04-02,,yes,2026-04-03
`, "\n", "\r\n"),
			rows: []want{
				{"006A", "Acme, Inc.", 123450, model.StageWon, "2026-01-15", "2026-02-20", "2026-01-10", true},
				{"006B", "Acme", 123450, model.StageLost, "2026-01-05", "2026-03-31", "", false},
				{"006C", "Globex", 123400, model.StageOpen, "2026-04-01", "2026-06-30", "", true},
				{"006D", "Initech Holdings", 0, model.StageOpen, "2026-04-02", "", "2026-04-03", true},
			},
			warnings: []string{"6: Amount: blank amount"}, // the quoted newline puts the cell on line 6,
		},
		{
			name: "bad rows",
			data: dealsHeader +
				"1,Acme,-$20,Closed Won,2026-01-01,2026-01-02,1,\n" +
				"2,Acme,100,Closed Won,2026-13-01,2026-01-02,1,\n" +
				"3,Acme,100,Closed Won,2026-01-01,,1,\n" +
				"4,,100,Open,2026-01-01,,1,\n" +
				",Acme,100,Open,2026-01-01,,1,\n" +
				"6,Acme,lots,Open,2026-01-01,,1,\n" +
				"7,Acme,(5),Open,2026-01-01,,1,\n" +
				"8,Acme,5,Open,,,1,\n" +
				"9,Acme,5,Open,2026-01-01,,1,someday\n" +
				"10,Acme,5,Open,2026-01-01,,1,,extra\n" +
				"11,Acme,1.5,Open,2026-01-01,,maybe,\n",
			rows: []want{{"11", "Acme", 150, model.StageOpen, "2026-01-01", "", "", false}},
			bad: []string{
				"2: Amount: -$20 is negative",
				"3: Created Date: \"2026-13-01\" is not a date",
				"4: Close Date: required for a won deal",
				"6: Opportunity ID: required",
				"7: Amount: \"lots\" is not an amount",
				"8: Amount: (5) is negative",
				"9: Created Date: required",
				"10: Deal Registration Date: \"someday\" is not a date",
				"11: column 9: extra value",
			},
			// A deal with no partner is a direct deal: skipped, noted.
			warnings: []string{"5: Partner Account: no partner: a direct deal, skipped"},
		},
		{
			name: "the later row wins",
			data: dealsHeader +
				"A1,Acme,100,Open,2026-01-01,,,\n" +
				"A2,Acme,50,Open,2026-01-01,,,\n" +
				"A1,Acme,300.25,Closed Won,2026-01-01,2026-02-01,yes,\n",
			rows: []want{
				{"A1", "Acme", 30025, model.StageWon, "2026-01-01", "2026-02-01", "", true},
				{"A2", "Acme", 5000, model.StageOpen, "2026-01-01", "", "", false},
			},
			warnings: []string{"4: Opportunity ID: deal \"A1\" appears again (first on line 2)"},
		},
		{
			name: "a later row without a partner makes the deal direct",
			data: dealsHeader +
				"A1,Acme,100,Closed Won,2026-01-01,2026-02-01,yes,\n" +
				"A2,Acme,50,Open,2026-01-01,,,\n" +
				"A1,,100,Closed Won,2026-01-01,2026-02-01,yes,\n",
			rows:     []want{{"A2", "Acme", 5000, model.StageOpen, "2026-01-01", "", "", false}},
			warnings: []string{"4: Partner Account: no partner: a direct deal, skipped"},
		},
		{
			name: "hubspot mapping, no registration column, a Go layout",
			data: "Deal ID,Associated Company,Amount,Deal Stage,Create Date,Close Date\n" +
				"h1,Acme,\"1,000,000\",closedwon,15.01.2026,20.03.2026\n",
			cols: func(c *DealColumns) {
				*c = DealColumns{ID: "Deal ID", Partner: "Associated Company", Amount: "amount", Stage: "deal stage",
					Created: "Create Date", Closed: "Close Date", Registered: "Registered", WonStages: []string{"ClosedWon"},
					LostStages: []string{"closedlost"}, DateFormat: "02.01.2006"}
			},
			rows: []want{{"h1", "Acme", 100000000, model.StageWon, "2026-01-15", "2026-03-20", "", false}},
		},
		{
			name: "us dates only",
			data: dealsHeader + "u1,Acme,10 USD,Closed Won,12/31/2025,1/2/2026 3:04 PM,x,\n",
			cols: func(c *DealColumns) { c.DateFormat = "us" },
			rows: []want{{"u1", "Acme", 1000, model.StageWon, "2025-12-31", "2026-01-02", "", true}},
		},
		{
			name: "iso timestamps in auto",
			data: dealsHeader + "t1,Acme,0.1,Closed Won,2026-03-31T23:30:00-05:00,2026-04-01 08:00,1,\n",
			rows: []want{{"t1", "Acme", 10, model.StageWon, "2026-03-31", "2026-04-01", "", true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols := DefaultDealColumns()
			if tt.cols != nil {
				tt.cols(&cols)
			}
			ds, err := ParseDeals("deals.csv", []byte(tt.data), cols)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Rows) != len(tt.rows) {
				t.Fatalf("got %d rows %+v, want %d", len(ds.Rows), ds.Rows, len(tt.rows))
			}
			for i, w := range tt.rows {
				g := ds.Rows[i]
				day := func(tm interface{ Format(string) string }, zero bool) string {
					if zero {
						return ""
					}
					return tm.Format("2006-01-02")
				}
				if g.ID != w.id || g.Partner != w.partner || int64(math.Round(g.Amount*100)) != w.cents || g.Stage != w.stage ||
					day(g.Created, g.Created.IsZero()) != w.created || day(g.Closed, g.Closed.IsZero()) != w.closed ||
					day(g.Registered, g.Registered.IsZero()) != w.registered || g.Sourced != w.sourced {
					t.Errorf("row %d = %+v, want %+v", i, g, w)
				}
			}
			checkErrs := func(what string, got []RowError, want []string) {
				t.Helper()
				if len(got) != len(want) {
					t.Fatalf("%s: got %v, want %v", what, got, want)
				}
				for i, w := range want {
					if !strings.Contains(got[i].Error(), "deals.csv:"+w) {
						t.Errorf("%s %d: got %q, want it to contain %q", what, i, got[i].Error(), w)
					}
				}
			}
			checkErrs("bad", ds.Bad, tt.bad)
			checkErrs("warnings", ds.Warnings, tt.warnings)
		})
	}
}

func TestParseDealsFileErrors(t *testing.T) {
	tests := []struct {
		name, data string
		cols       func(*DealColumns)
		want       string
	}{
		{"missing column", "Opportunity ID,Partner Account,Amount,Stage,Created Date\n", nil,
			`deals.csv:1: Close Date: required column is missing (the file has "Opportunity ID", "Partner Account", "Amount", "Stage" or "Created Date")`},
		{"missing sourced", "Opportunity ID,Partner Account,Amount,Stage,Created Date,Close Date\n", nil,
			`deals.csv:1: Partner Sourced: required column is missing`},
		{"empty", "", nil, "deals.csv:1: header: the file is empty"},
		{"bad quote", dealsHeader + "1,\"Acme,5\n", nil, "deals.csv:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols := DefaultDealColumns()
			if tt.cols != nil {
				tt.cols(&cols)
			}
			_, err := ParseDeals("deals.csv", []byte(tt.data), cols)
			var re *RowError
			if !errors.As(err, &re) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a RowError starting %q", err, tt.want)
			}
		})
	}
	for _, bad := range []func(*DealColumns){
		func(c *DealColumns) { c.Amount = "" },
		func(c *DealColumns) { c.DateFormat = "dd/mm/yyyy" },
	} {
		cols := DefaultDealColumns()
		bad(&cols)
		if _, err := ParseDeals("deals.csv", []byte(dealsHeader), cols); err == nil {
			t.Errorf("columns %+v: no error", cols)
		}
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in    string
		cents int64
		err   bool
	}{
		{"$1,234.50", 123450, false},
		{"1234.5", 123450, false},
		{"USD 1,234", 123400, false},
		{"usd1234", 123400, false},
		{"1,234.56 EUR", 123456, false},
		{"€0.99", 99, false},
		{"0", 0, false},
		{"-1", 0, true},
		{"$-1", 0, true},
		{"(1)", 0, true},
		{"1,5", 0, true},
		{"USD", 0, true},
		{"1e6", 0, true},
		{"$1,000,000,000,000", 100000000000000, false},
		{"$1,000,000,000,000.01", 0, true},
		{"99,999,999,999,999,999,999", 0, true},
	}
	for _, tt := range tests {
		v, err := ParseAmount(tt.in)
		if (err != nil) != tt.err || !tt.err && int64(math.Round(v*100)) != tt.cents {
			t.Errorf("ParseAmount(%q) = %v, %v; want %d cents, error %v", tt.in, v, err, tt.cents, tt.err)
		}
	}
}

// TestDealDatesBefore1900: a year before 1900 (0000, a typo "0026") is a
// bad row naming the column, never a deal in the zero period.
func TestDealDatesBefore1900(t *testing.T) {
	head := "Opportunity ID,Partner Account,Amount,Stage,Created Date,Close Date,Partner Sourced,Deal Registration Date\n"
	for _, date := range []string{"0000-02-01", "0026-03-04", "1899-12-31"} {
		ds, err := ParseDeals("d.csv", []byte(head+"X1,Acme,10,Prospecting,"+date+",,yes,\n"), DefaultDealColumns())
		if err != nil {
			t.Fatal(err)
		}
		if len(ds.Rows) != 0 || len(ds.Bad) != 1 || ds.Bad[0].Column != "Created Date" || !strings.Contains(ds.Bad[0].Reason, "1900") {
			t.Errorf("%s: rows %v, bad %v; want one bad row on Created Date", date, ds.Rows, ds.Bad)
		}
	}
	ds, err := ParseDeals("d.csv", []byte(head+"X1,Acme,10,Prospecting,1900-01-01,,yes,\n"), DefaultDealColumns())
	if err != nil || len(ds.Rows) != 1 {
		t.Errorf("1900-01-01: %v, %v; want a deal", ds, err)
	}
}

package csvin

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

// testProgram is the program of config.example.toml, built by hand so these
// tests do not depend on the config package.
func testProgram() *model.Program {
	return &model.Program{
		Name: "Acme Cloud Partner Program", Cadence: model.Quarterly, Window: 2, GraceReviews: 1,
		Metrics: []model.Metric{
			{Key: "sourced_pipeline", Label: "Sourced pipeline", Unit: model.Money, Aggregate: model.Sum},
			{Key: "sourced_revenue", Label: "Sourced revenue", Unit: model.Money, Aggregate: model.Sum},
			{Key: "certified_reps", Label: "Certified reps", Singular: "certified rep", Unit: model.Count, Aggregate: model.Latest},
			{Key: "joint_customers", Label: "Joint customers", Singular: "joint customer", Unit: model.Count, Aggregate: model.Latest},
			{Key: "registered_deals", Label: "Registered deals", Singular: "registered deal", Unit: model.Count, Aggregate: model.Sum},
			{Key: "employees", Label: "Employees", Singular: "employee", Unit: model.Count, Aggregate: model.Latest, Size: true},
			{Key: "win_rate", Label: "Win rate", Unit: model.Percent, Aggregate: model.Latest},
		},
		Tiers: []model.Tier{
			{Key: "registered", Name: "Registered", Rank: 1},
			{Key: "silver", Name: "Silver", Rank: 2},
			{Key: "gold", Name: "Gold", Rank: 3},
		},
		Tracks: []model.Track{{Key: "reseller", Name: "Reseller"}, {Key: "isv", Name: "ISV"}, {Key: "referral", Name: "Referral"}},
		Managers: []model.Manager{
			{Name: "Dana Reyes", CapacityHours: 30}, {Name: "Sam Okafor", CapacityHours: 30},
		},
	}
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		unit model.Unit
		want float64
		err  string
	}{
		{"1234.5", model.Money, 1234.5, ""},
		{"$1,234.50", model.Money, 1234.5, ""},
		{" $ 1,234 ", model.Money, 1234, ""},
		{"1,234,567", model.Money, 1234567, ""},
		{"-$20", model.Money, -20, ""},
		{"$-20", model.Money, -20, ""},
		{"($1,200.00)", model.Money, -1200, ""},
		{"€300", model.Money, 300, ""},
		{".5", model.Money, 0.5, ""},
		{"1,234", model.Count, 1234, ""},
		{"12", model.Count, 12, ""},
		{"85%", model.Percent, 85, ""},
		{"85 %", model.Percent, 85, ""},
		{"12.5", model.Percent, 12.5, ""},
		{"1,2", model.Money, 0, `"1,2" is not a number`},
		{"12,34.5", model.Money, 0, `"12,34.5" is not a number`},
		{"1e6", model.Money, 0, `"1e6" is not a number`},
		{"NaN", model.Money, 0, `"NaN" is not a number`},
		{"Inf", model.Money, 0, `"Inf" is not a number`},
		{"abc", model.Money, 0, `"abc" is not a number`},
		{"$5", model.Count, 0, `"$5" is not a number`},
		{"85%", model.Money, 0, `"85%" is not a number`},
		{"-3", model.Count, 0, "-3 is negative: a count cannot be"},
		{"2.5", model.Count, 0, "2.5 is not a whole number: a count must be"},
		{".", model.Money, 0, `"." is not a number`},
		{"", model.Money, 0, `"" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.in+"/"+string(tt.unit), func(t *testing.T) {
			got, err := ParseNumber(tt.in, tt.unit)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("ParseNumber(%q) error = %v, want %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseNumber(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseRosterFormats(t *testing.T) {
	prog := testProgram()
	const want = "northwind-global"
	tests := []struct {
		name string
		data string
	}{
		{"LF", "id,name,track,manager,domains,aliases,tier,joined\nnorthwind-global,Northwind Global,reseller,Dana Reyes,northwind.com;nwg.io,NWG;Northwind,gold,2021-03-01\n"},
		{"CRLF", "id,name,track,manager,domains,aliases,tier,joined\r\nnorthwind-global,Northwind Global,reseller,Dana Reyes,northwind.com;nwg.io,NWG;Northwind,gold,2021-03-01\r\n"},
		{"BOM", "\xef\xbb\xbfid,name,track,manager,domains,aliases,tier,joined\nnorthwind-global,Northwind Global,reseller,Dana Reyes,northwind.com;nwg.io,NWG;Northwind,gold,2021-03-01\n"},
		{"quoted, header case and spaces", "\" ID \", Name ,TRACK,Manager,Domains,Aliases,Tier,Joined\n\"northwind-global\",\"Northwind Global\",Reseller,dana reyes,\"northwind.com; @NWG.io\",\"NWG;Northwind\",Gold,2021-03-01\n"},
		{"no id column", "name,track,manager,domains,aliases,tier,joined\nNorthwind Global,reseller,Dana Reyes,northwind.com;nwg.io,NWG;Northwind,gold,2021-03-01\n"},
		{"blank lines and no final newline", "id,name,track,manager,domains,aliases,tier,joined\n\n,,,,,,,\nnorthwind-global,Northwind Global,reseller,Dana Reyes,northwind.com;nwg.io,NWG;Northwind,gold,2021-03-01"},
		{"escape sequences cleaned", "name,track,manager,domains,aliases,tier,joined\n\"\x1b[31mNorthwind\x1b[0m Global\u202e\",reseller,Dana Reyes,northwind.com;nwg.io,\"NWG;North\x07wind\",gold,2021-03-01\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ro, err := ParseRoster("roster.csv", []byte(tt.data), prog)
			if err != nil {
				t.Fatal(err)
			}
			if len(ro.Bad) > 0 {
				t.Fatalf("bad rows: %v", ro.Bad)
			}
			if len(ro.Rows) != 1 {
				t.Fatalf("rows = %d, want 1", len(ro.Rows))
			}
			r := ro.Rows[0]
			wantRow := RosterRow{
				Line: r.Line, ID: want, Name: "Northwind Global", Track: "reseller", Manager: "Dana Reyes",
				Domains: []string{"northwind.com", "nwg.io"}, Aliases: []string{"NWG", "Northwind"},
				Tier: "gold", Joined: date("2021-03-01"),
			}
			if !reflect.DeepEqual(r, wantRow) {
				t.Errorf("row = %+v\nwant  %+v", r, wantRow)
			}
		})
	}
}

func TestParseRosterQuotedNewlineLines(t *testing.T) {
	data := "name,track,joined,tier\n\"Multi\nLine Co\",reseller,2024-01-01,gold\nBad Co,reseller,2024-01-01,platinum\n"
	ro, err := ParseRoster("r.csv", []byte(data), testProgram())
	if err != nil {
		t.Fatal(err)
	}
	if got := ro.Rows[0]; got.Name != "Multi Line Co" || got.Line != 2 {
		t.Errorf("row = %q at line %d, want %q at line 2", got.Name, got.Line, "Multi Line Co")
	}
	if len(ro.Bad) != 1 || ro.Bad[0].Error() != `r.csv:4: tier: unknown tier "platinum" (want registered, silver or gold)` {
		t.Errorf("bad = %v", ro.Bad)
	}
}

func TestParseRosterBad(t *testing.T) {
	const head = "id,name,track,manager,domains,aliases,tier,joined\n"
	tests := []struct {
		name string
		data string
		want []string // row errors, or the file error alone
	}{
		{"empty file", "", []string{"r.csv:1: header: the file is empty"}},
		{"missing name column", "id,track\nacme,reseller\n", []string{"r.csv:1: name: required column is missing"}},
		{"unknown column", "name,notes\nAcme,x\n", []string{"r.csv:1: notes: unknown column (a roster has id, name, track, manager, domains, aliases, tier, joined, tier_since, status)"}},
		{"duplicate column", "name,Name\nAcme,x\n", []string{"r.csv:1: Name: the column appears twice in the header"}},
		{"semicolons", "id;name;track\nacme;Acme;reseller\n", []string{"r.csv:1: header: the columns are separated by ';': save the file with commas between columns"}},
		{"UTF-16", "\xff\xfei\x00d\x00", []string{"r.csv:1: header: the file is UTF-16: save it as UTF-8 CSV"}},
		{"bare quote", head + "acme,Ac\"me,reseller,,,,,2024-01-01\n", []string{`r.csv:2: character 8: bare " in non-quoted-field`}},
		{"unterminated quote", head + "acme,\"Acme,reseller\n", []string{`r.csv:2: character 21: extraneous or missing " in quoted-field`}},
		{"blank name", head + "acme,,reseller,,,,,2024-01-01\n", []string{"r.csv:2: name: required: every partner needs a name"}},
		{"bad id", head + "Acme Inc,Acme,reseller,,,,,2024-01-01\n", []string{`r.csv:2: id: "Acme Inc" is not an id: use lower-case letters, digits and hyphens, like "acme-inc"`}},
		{"name makes no id", "name,track,joined\n株式会社,reseller,2024-01-01\n", []string{`r.csv:2: name: "株式会社" makes no id (it has no ASCII letters or digits): add an id column`}},
		{"unknown track", head + "acme,Acme,distributor,,,,,2024-01-01\n", []string{`r.csv:2: track: unknown track "distributor" (want reseller, isv or referral)`}},
		{"bad domain", head + "acme,Acme,reseller,,acme dot com,,,2024-01-01\n", []string{`r.csv:2: domains: "acme dot com" is not an email domain (like northwind.com)`}},
		{"unknown tier", head + "acme,Acme,reseller,,,,platinum,2024-01-01\n", []string{`r.csv:2: tier: unknown tier "platinum" (want registered, silver or gold)`}},
		{"bad date", head + "acme,Acme,reseller,,,,,03/01/2024\n", []string{`r.csv:2: joined: "03/01/2024" is not a date: write it as YYYY-MM-DD`}},
		{"bad tier since", "name,track,joined,tier_since\nAcme,reseller,2024-01-01,soon\n", []string{`r.csv:2: tier_since: "soon" is not a date: write it as YYYY-MM-DD`}},
		{"bad status", "name,track,joined,status\nAcme,reseller,2024-01-01,paused\n", []string{`r.csv:2: status: unknown status "paused" (want active or exited)`}},
		{"extra value", head + "acme,Acme,reseller,,,,,2024-01-01,oops\n", []string{`r.csv:2: column 9: extra value "oops": the header has 8 columns`}},
		{"invalid UTF-8", head + "acme,Ac\xffme,reseller,,,,,2024-01-01\n", []string{"r.csv:2: name: not valid UTF-8: save the file as UTF-8"}},
		{"too long", head + "acme," + strings.Repeat("x", 201) + ",reseller,,,,,2024-01-01\n", []string{"r.csv:2: name: longer than 200 characters"}},
		{"duplicate id", head + "acme,Acme,reseller,,,,,2024-01-01\nacme,Acme Two,reseller,,,,,2024-01-01\n", []string{`r.csv:3: id: partner "acme" appears twice (also line 2)`}},
		{"duplicate name", "name,track,joined\nAcme,reseller,2024-01-01\nACME,isv,2024-01-01\n", []string{`r.csv:3: name: partner "acme" appears twice (also line 2)`}},
		{"several bad rows", head + "acme,,reseller,,,,,2024-01-01\nok,OK,reseller,,,,,2024-01-01\nzz,ZZ,reseller,,,,gold,2024-13-01\n", []string{
			"r.csv:2: name: required: every partner needs a name",
			`r.csv:4: joined: "2024-13-01" is not a date: write it as YYYY-MM-DD`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ro, err := ParseRoster("r.csv", []byte(tt.data), testProgram())
			var got []string
			if err != nil {
				var re *RowError
				if !errors.As(err, &re) {
					t.Fatalf("error %v is not a *RowError", err)
				}
				got = []string{err.Error()}
			} else {
				for _, b := range ro.Bad {
					got = append(got, b.Error())
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestParseProduction(t *testing.T) {
	prog := testProgram()
	data := "\xef\xbb\xbfPartner , Period,sourced_pipeline,Certified_Reps,win_rate\r\n" +
		"Northwind Global,2026-Q1,\"$1,234.50\",3,85%\r\n" +
		"\"Brightpath, Inc.\",2026-q2,,\"1,204\",\r\n"
	pr, err := ParseProduction("p.csv", []byte(data), prog, DefaultProductionColumns())
	if err != nil {
		t.Fatal(err)
	}
	if len(pr.Bad) != 0 {
		t.Fatalf("bad: %v", pr.Bad)
	}
	if want := []string{"sourced_pipeline", "certified_reps", "win_rate"}; !reflect.DeepEqual(pr.Metrics, want) {
		t.Errorf("metrics = %v, want %v", pr.Metrics, want)
	}
	if pr.PartnerColumn != "Partner" || pr.PeriodColumn != "Period" {
		t.Errorf("columns = %q, %q", pr.PartnerColumn, pr.PeriodColumn)
	}
	r0, r1 := pr.Rows[0], pr.Rows[1]
	if r0.Partner != "Northwind Global" || r0.Period != model.MustPeriod("2026-Q1") || r0.Line != 2 ||
		!reflect.DeepEqual(r0.Values, []float64{1234.5, 3, 85}) {
		t.Errorf("row 0 = %+v", r0)
	}
	if r1.Partner != "Brightpath, Inc." || r1.Period != model.MustPeriod("2026-Q2") || r1.Line != 3 ||
		!Absent(r1.Values[0]) || r1.Values[1] != 1204 || !math.IsNaN(r1.Values[2]) {
		t.Errorf("row 1 = %+v", r1)
	}
}

func TestParseProductionMappedColumns(t *testing.T) {
	cols := ProductionColumns{Partner: "Account", Period: "Quarter", Metrics: map[string]string{"sourced_pipeline": "Sourced Pipeline (USD)"}}
	data := "account,quarter,sourced pipeline (usd),certified_reps\nacme,2026-Q1,\"$5,000\",2\n"
	pr, err := ParseProduction("p.csv", []byte(data), testProgram(), cols)
	if err != nil {
		t.Fatal(err)
	}
	if len(pr.Rows) != 1 || !reflect.DeepEqual(pr.Rows[0].Values, []float64{5000, 2}) {
		t.Errorf("rows = %+v", pr.Rows)
	}
	// the unmapped key is no longer a column name
	_, err = ParseProduction("p.csv", []byte("account,quarter,sourced_pipeline\nacme,2026-Q1,5\n"), testProgram(), cols)
	if err == nil || !strings.HasPrefix(err.Error(), "p.csv:1: sourced_pipeline: unknown column") {
		t.Errorf("err = %v", err)
	}
	if _, err := ParseProduction("p.csv", []byte("x"), testProgram(), ProductionColumns{Metrics: map[string]string{"nope": "x"}}); err == nil ||
		err.Error() != `production columns: metric "nope" is not defined in the program` {
		t.Errorf("err = %v", err)
	}
}

func TestParseProductionBad(t *testing.T) {
	const head = "partner,period,sourced_pipeline,certified_reps\n"
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"missing partner column", "period,sourced_pipeline\n2026-Q1,5\n", []string{"p.csv:1: partner: required column is missing"}},
		{"missing period column", "partner,sourced_pipeline\nacme,5\n", []string{"p.csv:1: period: required column is missing"}},
		{"no metric columns", "partner,period\nacme,2026-Q1\n", []string{"p.csv:1: header: no metric columns (want one or more of sourced_pipeline, sourced_revenue, certified_reps, joint_customers, registered_deals, employees or win_rate)"}},
		{"unknown metric column", "partner,period,revenue\nacme,2026-Q1,5\n", []string{"p.csv:1: revenue: unknown column: not a metric of the program (want sourced_pipeline, sourced_revenue, certified_reps, joint_customers, registered_deals, employees or win_rate)"}},
		{"blank partner", head + ",2026-Q1,5,1\n", []string{"p.csv:2: partner: required: which partner the row is for"}},
		{"blank period", head + "acme,,5,1\n", []string{"p.csv:2: period: required: which period the row is for"}},
		{"bad period", head + "acme,Q1 2026,5,1\n", []string{`p.csv:2: period: "Q1 2026" is not a period: write a quarter like 2026-Q3 or a half like 2026-H2`}},
		{"wrong cadence", head + "acme,2026-H1,5,1\n", []string{"p.csv:2: period: 2026-H1 is a half-year, but the program's cadence is quarterly"}},
		{"negative count", head + "acme,2026-Q1,5,-2\n", []string{"p.csv:2: certified_reps: -2 is negative: a count cannot be"}},
		{"fractional count", head + "acme,2026-Q1,5,1.5\n", []string{"p.csv:2: certified_reps: 1.5 is not a whole number: a count must be"}},
		{"bad money", head + "acme,2026-Q1,lots,1\n", []string{`p.csv:2: sourced_pipeline: "lots" is not a number`}},
		{"decimal comma", head + "acme,2026-Q1,\"1,5\",1\n", []string{`p.csv:2: sourced_pipeline: "1,5" is not a number`}},
		{"quoted newline keeps the line of the cell", head + "\"acme\nco\",2026-Q1,5,x\n", []string{`p.csv:3: certified_reps: "x" is not a number`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, err := ParseProduction("p.csv", []byte(tt.data), testProgram(), DefaultProductionColumns())
			var got []string
			if err != nil {
				got = []string{err.Error()}
			} else {
				for _, b := range pr.Bad {
					got = append(got, b.Error())
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

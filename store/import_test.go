package store

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/csvin"
)

func TestImportPartners(t *testing.T) {
	s := newStore(t)
	data := "\xef\xbb\xbfid,name,track,manager,domains,aliases,tier,joined\r\n" +
		"northwind-global,\"Northwind Global\",Reseller,dana reyes,\"northwind.com;NWG.io\",\"NWG; Northwind\",Gold,2021-03-01\r\n" +
		",Brightpath Analytics,isv,Sam Okafor,brightpath.io,,,2024-06-15\r\n"
	rep, err := s.ImportPartners("roster.csv", []byte(data), testProgram(), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := ImportReport{File: "roster.csv", Rows: 2, Written: 2, Created: []string{"northwind-global", "brightpath-analytics"}}
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("report = %+v, want %+v", rep, want)
	}
	nw, err := s.Partner("northwind-global")
	if err != nil {
		t.Fatal(err)
	}
	wantNW := model.Partner{ID: "northwind-global", Name: "Northwind Global", Track: "reseller", Manager: "Dana Reyes",
		Domains: []string{"northwind.com", "nwg.io"}, Aliases: []string{"NWG", "Northwind"}, Tier: "gold",
		TierSince: day("2021-03-01"), Joined: day("2021-03-01")}
	if !reflect.DeepEqual(nw, wantNW) {
		t.Errorf("northwind = %+v\nwant        %+v", nw, wantNW)
	}
	bp, _ := s.Partner("brightpath-analytics")
	if bp.Tier != "registered" || bp.Track != "isv" {
		t.Errorf("brightpath = %+v: want the entry tier", bp)
	}
	if h, _ := s.AllHistory(); len(h) != 0 {
		t.Errorf("a first import wrote history: %+v", h)
	}
	log, err := s.Imports()
	if err != nil || len(log) != 1 || log[0].File != "roster.csv" || log[0].Kind != KindPartners || log[0].Rows != 2 ||
		log[0].Written != 2 || log[0].Created != 2 || !log[0].At.Equal(testNow) || len(log[0].Hash) != 64 {
		t.Errorf("import log = %+v, %v", log, err)
	}
}

func TestImportPartnersUpsert(t *testing.T) {
	s := seeded(t)
	later := testNow.Add(48 * time.Hour)
	// Northwind keeps gold (tier since kept) but changes manager and
	// aliases; Contoso moves to gold; Brightpath's blank tier keeps its tier.
	update := "id,name,track,manager,aliases,tier,joined\n" +
		"northwind-global,Northwind Global Inc,,Sam Okafor,NW,gold,\n" +
		"contoso,Contoso,,,,gold,\n" +
		"brightpath-analytics,Brightpath Analytics,,Sam Okafor,,,\n"
	rep, err := s.ImportPartners("update.csv", []byte(update), testProgram(), ImportOptions{Now: later})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Written != 3 || len(rep.Created) != 0 {
		t.Errorf("report = %+v", rep)
	}
	nw, _ := s.Partner("northwind-global")
	if nw.Tier != "gold" || !nw.TierSince.Equal(day("2021-03-01")) || nw.Manager != "Sam Okafor" || nw.Name != "Northwind Global Inc" ||
		!reflect.DeepEqual(nw.Aliases, []string{"NW"}) || !reflect.DeepEqual(nw.Domains, []string{"northwind.com"}) || nw.Track != "reseller" {
		t.Errorf("northwind = %+v", nw)
	}
	if ids, _ := s.FindIDs("nwg"); len(ids) != 0 {
		t.Errorf("old alias still indexed: %v", ids)
	}
	if ids, _ := s.FindIDs("northwind global inc"); !reflect.DeepEqual(ids, []string{"northwind-global"}) {
		t.Errorf("new name not indexed: %v", ids)
	}
	co, _ := s.Partner("contoso")
	if co.Tier != "gold" || !co.TierSince.Equal(day("2026-11-23")) || co.Manager != "" {
		t.Errorf("contoso = %+v: want gold since the import day, manager cleared", co)
	}
	bp, _ := s.Partner("brightpath-analytics")
	if bp.Tier != "registered" || !bp.TierSince.Equal(day("2024-06-15")) {
		t.Errorf("brightpath = %+v", bp)
	}
	h, _ := s.AllHistory()
	want := []model.History{{Partner: "contoso", From: "silver", To: "gold", Period: model.MustPeriod("2026-Q4"), Kind: model.Set,
		Reason: "set by the roster import of update.csv", By: "roster import", At: later}}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("history = %+v", h)
	}

	// An explicit tier_since and status are applied.
	_, err = s.ImportPartners("since.csv", []byte("id,name,tier,tier_since,status\ncontoso,Contoso,gold,2026-10-01,exited\n"), testProgram(), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if co, _ := s.Partner("contoso"); !co.TierSince.Equal(day("2026-10-01")) || !co.Exited {
		t.Errorf("contoso = %+v", co)
	}
}

func TestImportIdenticalIsNoOp(t *testing.T) {
	s := seeded(t)
	// Change a tier by hand; re-importing the same roster must not undo it.
	p, _ := s.Partner("contoso")
	p.Tier = "gold"
	if err := s.PutPartners([]model.Partner{p}); err != nil {
		t.Fatal(err)
	}
	rep, err := s.ImportPartners("copy-of-roster.csv", []byte(roster), testProgram(), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.AlreadyImported || rep.Written != 0 || rep.Rows != 3 {
		t.Errorf("report = %+v, want already imported", rep)
	}
	if p, _ := s.Partner("contoso"); p.Tier != "gold" {
		t.Errorf("re-import changed the store: %+v", p)
	}
	if log, _ := s.Imports(); len(log) != 1 || log[0].File != "roster.csv" {
		t.Errorf("log = %+v", log)
	}

	prod := "partner,period,sourced_pipeline\ncontoso,2026-Q1,5\n"
	for i, wantAlready := range []bool{false, true} {
		rep, err := s.ImportProduction("p.csv", []byte(prod), testProgram(), DefaultProductionColumns(), ImportOptions{})
		if err != nil || rep.AlreadyImported != wantAlready {
			t.Errorf("production import %d: %+v, %v", i, rep, err)
		}
	}
	// The same bytes as the other kind are not the same import.
	if _, err := s.ImportPartners("p.csv", []byte(prod), testProgram(), ImportOptions{}); err == nil {
		t.Error("a production file imported as a roster")
	}
}

func TestImportRejectsBadFileAndWritesNothing(t *testing.T) {
	const head = "id,name,track,manager,domains,aliases,tier,joined\n"
	tests := []struct {
		name, data string
		want       []string
	}{
		{"unknown tier", head + "acme,Acme,reseller,,,,gold,2024-01-01\nzeta,Zeta,reseller,,,,platinum,2024-01-01\n",
			[]string{`roster.csv:3: tier: unknown tier "platinum" (want registered, silver or gold)`}},
		{"new partner without track", head + "acme,Acme,,,,,,2024-01-01\n",
			[]string{"roster.csv:2: track: required for a new partner (want reseller, isv, referral)"}},
		{"new partner without joined", head + "acme,Acme,isv,,,,,\n",
			[]string{"roster.csv:2: joined: required for a new partner: the date it joined, as YYYY-MM-DD"}},
		{"several", head + "acme,Acme,isv,,,,,\nok,OK,isv,,,,,2024-01-01\nbad,,isv,,,,,2024-01-01\n",
			[]string{
				"roster.csv:2: joined: required for a new partner: the date it joined, as YYYY-MM-DD",
				"roster.csv:4: name: required: every partner needs a name",
			}},
		{"header", "id,name,nickname\nacme,Acme,Ac\n",
			[]string{"roster.csv:1: nickname: unknown column (a roster has id, name, track, manager, domains, aliases, tier, joined, tier_since, status)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			rep, err := s.ImportPartners("roster.csv", []byte(tt.data), testProgram(), ImportOptions{})
			var rej *RejectedError
			if !errors.As(err, &rej) {
				t.Fatalf("error = %v, want a *RejectedError", err)
			}
			if got := rowErrors(rep.Bad); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("bad rows:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
			if !reflect.DeepEqual(rej.Bad, rep.Bad) {
				t.Errorf("error and report disagree")
			}
			if rep.Written != 0 || len(rep.Created) != 0 {
				t.Errorf("report claims writes: %+v", rep)
			}
			if ps := mustPartners(t, s); len(ps) != 0 {
				t.Errorf("the store holds %d partners after a rejected import", len(ps))
			}
			if log, _ := s.Imports(); len(log) != 0 {
				t.Errorf("a rejected import was logged: %+v", log)
			}
		})
	}
}

func TestRejectedErrorMessage(t *testing.T) {
	one := &RejectedError{File: "f.csv", Bad: []RowError{{File: "f.csv", Line: 3, Column: "tier", Reason: "unknown tier"}}}
	if got, want := one.Error(), "f.csv:3: tier: unknown tier; nothing imported"; got != want {
		t.Errorf("one = %q, want %q", got, want)
	}
	var many RejectedError
	many.File = "f.csv"
	for i := range 25 {
		many.Bad = append(many.Bad, RowError{File: "f.csv", Line: i + 2, Column: "c", Reason: "r"})
	}
	lines := strings.Split(many.Error(), "\n")
	if lines[0] != "f.csv: 25 bad rows; nothing imported" || lines[1] != "f.csv:2: c: r" || lines[len(lines)-1] != "… and 5 more" || len(lines) != 22 {
		t.Errorf("many = %q", many.Error())
	}
}

func TestImportPartnersSkipBad(t *testing.T) {
	s := newStore(t)
	data := "id,name,track,tier,joined\nacme,Acme,reseller,gold,2024-01-01\nzeta,Zeta,reseller,platinum,2024-01-01\nnew,New,,,2024-01-01\n"
	rep, err := s.ImportPartners("r.csv", []byte(data), testProgram(), ImportOptions{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`r.csv:3: tier: unknown tier "platinum" (want registered, silver or gold)`,
		"r.csv:4: track: required for a new partner (want reseller, isv, referral)",
	}
	if rep.Rows != 3 || rep.Written != 1 || !reflect.DeepEqual(rowErrors(rep.Bad), want) || !reflect.DeepEqual(rep.Created, []string{"acme"}) {
		t.Errorf("report = %+v", rep)
	}
	if ps := mustPartners(t, s); len(ps) != 1 || ps[0].ID != "acme" {
		t.Errorf("partners = %+v", ps)
	}
	// A file imported with bad rows skipped is not "already imported":
	// importing it again re-applies it.
	rep, err = s.ImportPartners("r.csv", []byte(data), testProgram(), ImportOptions{SkipBad: true})
	if err != nil || rep.AlreadyImported || rep.Written != 1 {
		t.Errorf("second import = %+v, %v", rep, err)
	}
}

func TestImportProduction(t *testing.T) {
	s := seeded(t)
	data := "\xef\xbb\xbfPartner,Period,Sourced Pipeline (USD),certified_reps,registered_deals\r\n" +
		"NWG,2026-q1,\"$1,250,000.50\",6,\r\n" +
		"brightpath-analytics,2026-Q1,\"$80,000\",2,5\r\n" +
		"NORTHWIND.COM,2026-Q2,0,,\r\n"
	cols := ProductionColumns{Partner: "partner", Period: "period", Metrics: map[string]string{"sourced_pipeline": "Sourced Pipeline (USD)"}}
	rep, err := s.ImportProduction("prod.csv", []byte(data), testProgram(), cols, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (ImportReport{File: "prod.csv", Rows: 3, Written: 3}); !reflect.DeepEqual(rep, want) {
		t.Errorf("report = %+v", rep)
	}
	nw, _ := s.Series("northwind-global")
	want := seriesValues{
		model.MustPeriod("2026-Q1"): {"sourced_pipeline": 1250000.5, "certified_reps": 6},
		model.MustPeriod("2026-Q2"): {"sourced_pipeline": 0},
	}
	if !reflect.DeepEqual(nw.Map(), want) {
		t.Errorf("northwind series = %v", nw)
	}
	// A second file merges into the same periods.
	more := "partner,period,certified_reps,joint_customers\nNorthwind Global,2026-Q2,5,9\n"
	if _, err := s.ImportProduction("more.csv", []byte(more), testProgram(), DefaultProductionColumns(), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	nw, _ = s.Series("northwind-global")
	if got := nw.Map()[model.MustPeriod("2026-Q2")]; !reflect.DeepEqual(got, map[string]float64{"sourced_pipeline": 0, "certified_reps": 5, "joint_customers": 9}) {
		t.Errorf("merged Q2 = %v", got)
	}
	bp, _ := s.Series("brightpath-analytics")
	if got := bp.Map()[model.MustPeriod("2026-Q1")]; !reflect.DeepEqual(got, map[string]float64{"sourced_pipeline": 80000, "certified_reps": 2, "registered_deals": 5}) {
		t.Errorf("brightpath Q1 = %v", got)
	}
}

func TestImportProductionBad(t *testing.T) {
	const head = "partner,period,sourced_pipeline,certified_reps\n"
	tests := []struct {
		name, data string
		want       []string
		unknown    []string
	}{
		{"duplicate row", head + "contoso,2026-Q1,5,1\nContoso,2026-q1,6,1\n",
			[]string{"p.csv:3: period: a second row for contoso in 2026-Q1 (the first is line 2)"}, nil},
		{"duplicate through an alias", head + "northwind-global,2026-Q1,5,1\nNWG,2026-Q1,6,1\n",
			[]string{"p.csv:3: period: a second row for northwind-global in 2026-Q1 (the first is line 2)"}, nil},
		{"negative count", head + "contoso,2026-Q1,5,-1\n",
			[]string{"p.csv:2: certified_reps: -1 is negative: a count cannot be"}, nil},
		{"unknown partner", head + "contoso,2026-Q1,5,1\nInitech,2026-Q1,5,1\ninitech,2026-Q2,5,1\nGlobex,2026-Q1,1,1\n",
			[]string{
				`p.csv:3: partner: unknown partner "Initech": no partner has that id, name or alias`,
				`p.csv:4: partner: unknown partner "initech": no partner has that id, name or alias`,
				`p.csv:5: partner: unknown partner "Globex": no partner has that id, name or alias`,
			}, []string{"Globex", "Initech", "initech"}},
		{"unknown metric column", "partner,period,revenue\ncontoso,2026-Q1,5\n",
			[]string{"p.csv:1: revenue: unknown column: not a metric of the program (want sourced_pipeline, sourced_revenue, certified_reps, joint_customers, registered_deals or employees)"}, nil},
		{"missing period column", "partner,sourced_pipeline\ncontoso,5\n",
			[]string{"p.csv:1: period: required column is missing"}, nil},
		{"wrong cadence", head + "contoso,2026-H1,5,1\n",
			[]string{"p.csv:2: period: 2026-H1 is a half-year, but the program's cadence is quarterly"}, nil},
		{"money", head + "contoso,2026-Q1,\"$1,23\",1\n",
			[]string{`p.csv:2: sourced_pipeline: "$1,23" is not a number`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := seeded(t)
			rep, err := s.ImportProduction("p.csv", []byte(tt.data), testProgram(), DefaultProductionColumns(), ImportOptions{})
			var rej *RejectedError
			if !errors.As(err, &rej) {
				t.Fatalf("error = %v, want *RejectedError", err)
			}
			if got := rowErrors(rep.Bad); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("bad rows:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
			if !reflect.DeepEqual(rep.Unknown, tt.unknown) {
				t.Errorf("unknown = %v, want %v", rep.Unknown, tt.unknown)
			}
			snap, err := s.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Production) != 0 || len(snap.Partners) != 3 {
				t.Errorf("a rejected import wrote: %d series, %d partners", len(snap.Production), len(snap.Partners))
			}
		})
	}
}

func TestImportProductionAmbiguous(t *testing.T) {
	s := seeded(t)
	if err := s.PutPartners([]model.Partner{
		{ID: "globex-us", Name: "Globex US", Aliases: []string{"Globex"}},
		{ID: "globex-eu", Name: "Globex EU", Aliases: []string{"Globex"}},
		{ID: "contoso-labs", Name: "Contoso Labs", Aliases: []string{"contoso"}},
	}); err != nil {
		t.Fatal(err)
	}
	data := "partner,period,certified_reps\nglobex,2026-Q1,1\ncontoso,2026-Q1,1\n"
	rep, err := s.ImportProduction("p.csv", []byte(data), testProgram(), DefaultProductionColumns(), ImportOptions{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`p.csv:2: partner: "globex" is ambiguous: it names globex-eu, globex-us; use the id`}
	if !reflect.DeepEqual(rowErrors(rep.Bad), want) || rep.Written != 1 {
		t.Errorf("report = %+v", rep)
	}
	// "contoso" is Contoso's id and Contoso Labs' alias: the id wins.
	if se, _ := s.Series("contoso"); se.Len() != 1 {
		t.Errorf("contoso series = %v", se)
	}
}

func TestImportProductionSkipBadAndUnknown(t *testing.T) {
	data := "partner,period,sourced_pipeline,certified_reps\n" +
		"contoso,2026-Q1,5,1\n" +
		"Initech Systems,2026-Q2,7,1\n" +
		"Initech Systems,2026-Q1,3,1\n" +
		"contoso,2026-Q2,x,1\n"
	prog := testProgram()

	t.Run("skip bad", func(t *testing.T) {
		s := seeded(t)
		rep, err := s.ImportProduction("p.csv", []byte(data), prog, DefaultProductionColumns(), ImportOptions{SkipBad: true})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			`p.csv:3: partner: unknown partner "Initech Systems": no partner has that id, name or alias`,
			`p.csv:4: partner: unknown partner "Initech Systems": no partner has that id, name or alias`,
			`p.csv:5: sourced_pipeline: "x" is not a number`,
		}
		if rep.Rows != 4 || rep.Written != 1 || !reflect.DeepEqual(rowErrors(rep.Bad), want) || !reflect.DeepEqual(rep.Unknown, []string{"Initech Systems"}) {
			t.Errorf("report = %+v", rep)
		}
		if se, _ := s.Series("contoso"); !reflect.DeepEqual(se.Map(), seriesValues{model.MustPeriod("2026-Q1"): {"sourced_pipeline": 5, "certified_reps": 1}}) {
			t.Errorf("contoso = %v", se)
		}
	})

	t.Run("create partners", func(t *testing.T) {
		s := seeded(t)
		rep, err := s.ImportProduction("p.csv", []byte(data), prog, DefaultProductionColumns(), ImportOptions{SkipBad: true, CreatePartners: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Written != 3 || len(rep.Bad) != 1 || !reflect.DeepEqual(rep.Created, []string{"initech-systems"}) || !reflect.DeepEqual(rep.Unknown, []string{"Initech Systems"}) {
			t.Errorf("report = %+v", rep)
		}
		p, err := s.Partner("initech-systems")
		if err != nil {
			t.Fatal(err)
		}
		want := model.Partner{ID: "initech-systems", Name: "Initech Systems", Track: "reseller", Tier: "registered",
			Joined: day("2026-01-01"), TierSince: day("2026-01-01")}
		if !reflect.DeepEqual(p, want) {
			t.Errorf("created = %+v\nwant      %+v", p, want)
		}
		if ids, _ := s.FindIDs("initech systems"); !reflect.DeepEqual(ids, []string{"initech-systems"}) {
			t.Errorf("created partner not indexed: %v", ids)
		}
		if se, _ := s.Series("initech-systems"); se.Len() != 2 {
			t.Errorf("initech series = %v", se)
		}
	})

	t.Run("create partners, bad row still rejects", func(t *testing.T) {
		s := seeded(t)
		_, err := s.ImportProduction("p.csv", []byte(data), prog, DefaultProductionColumns(), ImportOptions{CreatePartners: true})
		if err == nil {
			t.Fatal("accepted a file with a bad row")
		}
		if _, err := s.Partner("initech-systems"); !errors.Is(err, ErrNotFound) {
			t.Errorf("partner created by a rejected import: %v", err)
		}
	})
}

func TestImportHalfYearly(t *testing.T) {
	s := seeded(t)
	prog := testProgram()
	prog.Cadence = model.HalfYearly
	rep, err := s.ImportProduction("h.csv", []byte("partner,period,certified_reps\ncontoso,2026-H1,3\ncontoso,2026-Q1,3\n"), prog, DefaultProductionColumns(), ImportOptions{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"h.csv:3: period: 2026-Q1 is a quarter, but the program's cadence is half-yearly"}; !reflect.DeepEqual(rowErrors(rep.Bad), want) {
		t.Errorf("bad = %v", rowErrors(rep.Bad))
	}
	if se, _ := s.Series("contoso"); !hasValue(se, model.MustPeriod("2026-H1"), "certified_reps", 3) {
		t.Errorf("series = %v", se)
	}
}

func TestImportProductionPeriod(t *testing.T) {
	q1, q2 := model.MustPeriod("2026-Q1"), model.MustPeriod("2026-Q2")
	tests := []struct {
		name    string
		data    string
		outside int
		want    map[string]seriesValues
	}{
		{"no period column: the file is about the period",
			"partner,certified_reps\nNWG,4\ncontoso,2\n", 0,
			map[string]seriesValues{"northwind-global": {q2: {"certified_reps": 4}}, "contoso": {q2: {"certified_reps": 2}}}},
		{"a period column: restricted to the period, other rows unread",
			"partner,period,certified_reps\nNWG,2026-Q1,4\nNWG,2026-Q2,5\ncontoso,2026-Q1,lots\n", 2,
			map[string]seriesValues{"northwind-global": {q2: {"certified_reps": 5}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := seeded(t)
			rep, err := s.ImportProduction("p.csv", []byte(tt.data), testProgram(), DefaultProductionColumns(), ImportOptions{Period: q2})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Outside != tt.outside {
				t.Errorf("outside = %d, want %d", rep.Outside, tt.outside)
			}
			got := allSeries(t, s)
			for id, ser := range got {
				if len(ser) == 0 {
					delete(got, id)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("production = %v\nwant %v", got, tt.want)
			}
			// The same file for another period is another import (which
			// may reject the file: its Q1 rows are read now).
			again, _ := s.ImportProduction("p.csv", []byte(tt.data), testProgram(), DefaultProductionColumns(), ImportOptions{Period: q1})
			if again.AlreadyImported {
				t.Errorf("the same file for %s was taken for the import for %s", q1, q2)
			}
		})
	}
}

func TestImportDryRunWritesNothing(t *testing.T) {
	prod := "partner,period,sourced_pipeline,certified_reps\nNWG,2026-Q1,5000,3\nNewcomer,2026-Q1,10,1\n"
	tests := []struct {
		name   string
		run    func(s *Store, opts ImportOptions) (ImportReport, error)
		change []Change
	}{
		{"roster", func(s *Store, opts ImportOptions) (ImportReport, error) {
			return s.ImportPartners("r.csv", []byte("id,name,track,joined\ninitech,Initech,isv,2025-01-01\n"), testProgram(), opts)
		}, nil},
		{"rows", func(s *Store, opts ImportOptions) (ImportReport, error) {
			opts.CreatePartners = true
			return s.ImportProduction("p.csv", []byte(prod), testProgram(), DefaultProductionColumns(), opts)
		}, []Change{
			{Partner: "newcomer", Period: model.MustPeriod("2026-Q1"), Values: []ValueChange{
				{Metric: "certified_reps", To: 1, Added: true}, {Metric: "sourced_pipeline", To: 10, Added: true}}},
			{Partner: "northwind-global", Period: model.MustPeriod("2026-Q1"), Values: []ValueChange{
				{Metric: "certified_reps", To: 3, Added: true}, {Metric: "sourced_pipeline", From: 100, To: 5000}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := seeded(t)
			if err := s.PutProduction([]model.Production{{Partner: "northwind-global", Period: model.MustPeriod("2026-Q1"),
				Values: map[string]float64{"sourced_pipeline": 100}}}); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(s.path)
			if err != nil {
				t.Fatal(err)
			}
			dry, err := tt.run(s, ImportOptions{DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			if after, _ := os.ReadFile(s.path); !bytes.Equal(after, raw) {
				t.Error("a dry run changed the store file")
			}
			if !dry.DryRun || dry.Written != 1 && tt.change == nil || !reflect.DeepEqual(dry.Changes, tt.change) {
				t.Errorf("dry run = %+v\nchanges %+v\n   want %+v", dry, dry.Changes, tt.change)
			}
			real, err := tt.run(s, ImportOptions{})
			if err != nil || real.AlreadyImported || real.DryRun || real.Written != dry.Written || !reflect.DeepEqual(real.Created, dry.Created) {
				t.Errorf("the import after a dry run = %+v, %v; the dry run said %+v", real, err, dry)
			}
			if log, _ := s.Imports(); len(log) != 2 {
				t.Errorf("import log = %+v, want the roster and the real import", log)
			}
		})
	}
}

func TestImportProgress(t *testing.T) {
	tests := []struct {
		name string
		rows int
		run  func(s *Store, opts ImportOptions) (ImportReport, error)
	}{
		{"roster", 2, func(s *Store, opts ImportOptions) (ImportReport, error) {
			return s.ImportPartners("r.csv", []byte("id,name,track,joined\ninitech,Initech,isv,2025-01-01\ncontoso,Contoso,,\n"), testProgram(), opts)
		}},
		{"rows", 3, func(s *Store, opts ImportOptions) (ImportReport, error) {
			return s.ImportProduction("p.csv", []byte("partner,period,certified_reps\nNWG,2026-Q1,1\nNWG,2026-Q2,2\ncontoso,2026-Q1,3\n"),
				testProgram(), DefaultProductionColumns(), opts)
		}},
		{"deals", 5, func(s *Store, opts ImportOptions) (ImportReport, error) {
			return s.ImportDeals("feb.csv", []byte(dealsFeb), testProgram(), csvin.DefaultDealColumns(), opts)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls [][2]int
			_, err := tt.run(seeded(t), ImportOptions{Progress: func(done, total int) {
				calls = append(calls, [2]int{done, total})
			}})
			if err != nil {
				t.Fatal(err)
			}
			if len(calls) == 0 || calls[len(calls)-1] != [2]int{tt.rows, tt.rows} {
				t.Fatalf("progress calls = %v, want to end at %d of %d", calls, tt.rows, tt.rows)
			}
			for i := 1; i < len(calls); i++ {
				if calls[i][0] < calls[i-1][0] || calls[i][1] != tt.rows {
					t.Errorf("progress calls = %v", calls)
				}
			}
		})
	}
}

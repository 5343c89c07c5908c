package store

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/csvin"
)

const dealsHead = "Opportunity ID,Partner Account,Amount,Stage,Created Date,Close Date,Partner Sourced,Deal Registration Date\r\n"

// dealsExport is a Salesforce-like export: BOM, CRLF, quoted commas and
// newlines, money in several spellings, a blank amount, a repeated id.
const dealsExport = "\xef\xbb\xbf" + dealsHead +
	"006A,NWG,\"$1,234.50\",Closed Won,2026-01-15,2026-02-20,TRUE,2026-01-10\r\n" +
	"006B,Northwind Global,\"USD 100,000\",Prospecting,1/20/2026,6/30/2026,x,1/21/2026\r\n" +
	"006C,\"Northwind\r\nGlobal\",500,Closed Lost,2026-02-01,2026-03-15,yes,\r\n" +
	"006D,brightpath.io,999.99,closed won,2026-01-05,2026-03-31,no,\r\n" +
	"006E,Brightpath,,Qualification,2026-04-01,,1,2026-04-02\r\n" +
	"006A,NWG,\"$1,234.56\",Closed Won,2026-01-15,2026-02-20,TRUE,2026-01-10\r\n"

func TestImportDeals(t *testing.T) {
	s := seeded(t)
	rep, err := s.ImportDeals("deals.csv", []byte(dealsExport), testProgram(), csvin.DefaultDealColumns(), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 5 || rep.Written != 5 || len(rep.Bad) != 0 || len(rep.Created) != 0 || len(rep.Warnings) != 2 {
		t.Errorf("report = %+v", rep)
	}
	q1, q2 := model.MustPeriod("2026-Q1"), model.MustPeriod("2026-Q2")
	nw, _ := s.Series("northwind-global")
	// No influenced_revenue or win_rate: the test program does not define them.
	want := seriesValues{
		q1: {"sourced_pipeline": 1234.56 + 100000 + 500, "sourced_revenue": 1234.56, "registered_deals": 2},
	}
	if !reflect.DeepEqual(nw.Map(), want) {
		t.Errorf("northwind = %v\nwant        %v", nw.Map(), want)
	}
	bp, _ := s.Series("brightpath-analytics")
	want = seriesValues{
		q1: {"sourced_pipeline": 0, "sourced_revenue": 0, "registered_deals": 0},
		q2: {"sourced_pipeline": 0, "sourced_revenue": 0, "registered_deals": 1},
	}
	if !reflect.DeepEqual(bp.Map(), want) {
		t.Errorf("brightpath = %v\nwant         %v", bp.Map(), want)
	}

	// The same content again is a no-op.
	again, err := s.ImportDeals("deals-copy.csv", []byte(dealsExport), testProgram(), csvin.DefaultDealColumns(), ImportOptions{})
	if err != nil || !again.AlreadyImported || again.Written != 0 {
		t.Errorf("re-import = %+v, %v", again, err)
	}
	log, _ := s.Imports()
	if len(log) != 2 || log[1].Kind != KindDeals || log[1].Written != 5 {
		t.Errorf("import log = %+v", log)
	}

	// Rows-shape metrics in the same period stay; the deal metrics are the
	// aggregate of every stored deal, 006A now worth 10.
	if _, err := s.ImportProduction("reps.csv", []byte("partner,period,certified_reps\nnorthwind-global,2026-Q1,6\n"),
		testProgram(), DefaultProductionColumns(), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	update := dealsHead + "006A,NWG,10,Closed Won,2026-01-15,2026-02-20,TRUE,\r\n"
	if _, err := s.ImportDeals("update.csv", []byte(update), testProgram(), csvin.DefaultDealColumns(), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	nw, _ = s.Series("northwind-global")
	if got := nw.Map()[q1]; !reflect.DeepEqual(got, map[string]float64{"sourced_pipeline": 10 + 100000 + 500, "sourced_revenue": 10, "registered_deals": 1, "certified_reps": 6}) {
		t.Errorf("merged Q1 = %v", got)
	}
}

func TestImportDealsAllMetrics(t *testing.T) {
	s := seeded(t)
	prog := testProgram()
	prog.Metrics = append(prog.Metrics,
		model.Metric{Key: "influenced_revenue", Label: "Influenced revenue", Unit: model.Money, Aggregate: model.Sum},
		model.Metric{Key: "win_rate", Label: "Win rate", Unit: model.Percent, Aggregate: model.Latest})
	if _, err := s.ImportDeals("deals.csv", []byte(dealsExport), prog, csvin.DefaultDealColumns(), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	nw, _ := s.Series("northwind-global")
	q1 := model.MustPeriod("2026-Q1")
	if got, want := nw.Map()[q1], map[string]float64{"sourced_pipeline": 101734.56, "sourced_revenue": 1234.56, "influenced_revenue": 0,
		"registered_deals": 2, "win_rate": 50}; !reflect.DeepEqual(got, want) {
		t.Errorf("northwind Q1 = %v, want %v", got, want)
	}
	bp, _ := s.Series("brightpath-analytics")
	if got := bp.Map()[q1]; got["influenced_revenue"] != 999.99 || got["win_rate"] != 100 {
		t.Errorf("brightpath Q1 = %v", got)
	}
}

func TestImportDealsBad(t *testing.T) {
	data := dealsHead +
		"1,NWG,100,Closed Won,2026-01-15,2026-02-20,TRUE,\r\n" +
		"2,Initech,200,Closed Won,2026-04-15,2026-05-20,TRUE,\r\n" +
		"3,NWG,-5,Open,2026-01-15,,,\r\n"
	t.Run("all or nothing", func(t *testing.T) {
		s := seeded(t)
		rep, err := s.ImportDeals("d.csv", []byte(data), testProgram(), csvin.DefaultDealColumns(), ImportOptions{})
		var rej *RejectedError
		if !errors.As(err, &rej) {
			t.Fatalf("err = %v, want a RejectedError", err)
		}
		want := []string{
			`d.csv:3: Partner Account: unknown partner "Initech": no partner has that id, name or alias`,
			`d.csv:4: Amount: -5 is negative: a deal amount cannot be`,
		}
		if !reflect.DeepEqual(rowErrors(rep.Bad), want) || !reflect.DeepEqual(rep.Unknown, []string{"Initech"}) || rep.Written != 0 {
			t.Errorf("report = %+v", rep)
		}
		if nw, _ := s.Series("northwind-global"); len(nw.Map()) != 0 {
			t.Errorf("a rejected import wrote %v", nw.Map())
		}
		if log, _ := s.Imports(); len(log) != 1 {
			t.Errorf("a rejected import was logged: %+v", log)
		}
	})
	t.Run("skip bad, create partners", func(t *testing.T) {
		s := seeded(t)
		rep, err := s.ImportDeals("d.csv", []byte(data), testProgram(), csvin.DefaultDealColumns(), ImportOptions{SkipBad: true, CreatePartners: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Written != 2 || len(rep.Bad) != 1 || !reflect.DeepEqual(rep.Created, []string{"initech"}) {
			t.Errorf("report = %+v", rep)
		}
		p, err := s.Partner("initech")
		if err != nil || p.Tier != "registered" || !p.Joined.Equal(day("2026-04-01")) {
			t.Errorf("initech = %+v, %v", p, err)
		}
		in, _ := s.Series("initech")
		if !hasValue(in, model.MustPeriod("2026-Q2"), "sourced_revenue", 200) {
			t.Errorf("initech = %v", in.Map())
		}
	})
	t.Run("missing column", func(t *testing.T) {
		s := seeded(t)
		_, err := s.ImportDeals("d.csv", []byte("Opportunity ID,Partner Account\n1,NWG\n"), testProgram(), csvin.DefaultDealColumns(), ImportOptions{})
		if err == nil || !strings.Contains(err.Error(), `d.csv:1: Amount: required column is missing (the file has "Opportunity ID" or "Partner Account")`) {
			t.Errorf("err = %v", err)
		}
	})
}

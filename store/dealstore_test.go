package store

import (
	"os"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/csvin"
)

// Two exports that overlap, as two monthly pulls from a CRM do. The
// second one sees 006B won (and its amount changed), 006C moved from
// Northwind to Brightpath, and 006D's created date corrected from Q1 to
// Q2, which leaves Brightpath nothing in Q1.
const (
	dealsJan = dealsHead +
		"006A,NWG,\"$1,234.56\",Closed Won,2026-01-15,2026-02-20,TRUE,2026-01-10\r\n" +
		"006B,Northwind Global,\"USD 100,000\",Prospecting,2026-01-20,,x,\r\n" +
		"006C,NWG,500,Negotiation,2026-02-01,,yes,\r\n" +
		"006D,Brightpath,250.10,Prospecting,2026-03-30,,yes,\r\n"
	dealsFeb = dealsHead +
		"006A,NWG,\"$1,234.56\",Closed Won,2026-01-15,2026-02-20,TRUE,2026-01-10\r\n" +
		"006B,Northwind Global,\"USD 90,000.01\",Closed Won,2026-01-20,2026-04-02,x,\r\n" +
		"006C,Brightpath,500,Negotiation,2026-02-01,,yes,\r\n" +
		"006D,Brightpath,250.10,Prospecting,2026-04-01,,yes,\r\n" +
		"006E,contoso.com,75,Closed Lost,2026-04-03,2026-04-30,no,2026-04-03\r\n"
)

// dealsUnion is one file holding both exports, the later rows last.
var dealsUnion = dealsJan + dealsFeb[len(dealsHead):]

// allSeries reads the production of every partner of the seeded roster.
func allSeries(t *testing.T, s *Store) map[string]seriesValues {
	t.Helper()
	out := map[string]seriesValues{}
	for _, p := range mustPartners(t, s) {
		ser, err := s.Series(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[p.ID] = ser.Map()
	}
	return out
}

func importDeals(t *testing.T, s *Store, name, data string, opts ImportOptions) ImportReport {
	t.Helper()
	rep, err := s.ImportDeals(name, []byte(data), testProgram(), csvin.DefaultDealColumns(), opts)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

func TestImportDealsOverlappingFiles(t *testing.T) {
	q1, q2 := model.MustPeriod("2026-Q1"), model.MustPeriod("2026-Q2")
	want := map[string]seriesValues{
		"northwind-global": {
			// 006A once, though both files hold it; 006C has moved away.
			q1: {"sourced_pipeline": 1234.56 + 90000.01, "sourced_revenue": 1234.56, "registered_deals": 1, "certified_reps": 6},
			q2: {"sourced_pipeline": 0, "sourced_revenue": 90000.01, "registered_deals": 0},
		},
		"brightpath-analytics": {
			// Q1 holds only 006C, moved in; 006D now counts in Q2.
			q1: {"sourced_pipeline": 500, "sourced_revenue": 0, "registered_deals": 0},
			q2: {"sourced_pipeline": 250.10, "sourced_revenue": 0, "registered_deals": 0},
		},
		"contoso": {
			q2: {"sourced_pipeline": 0, "sourced_revenue": 0, "registered_deals": 1},
		},
	}
	reps := "partner,period,certified_reps\nnorthwind-global,2026-Q1,6\n"

	two := seeded(t)
	importDeals(t, two, "jan.csv", dealsJan, ImportOptions{})
	if _, err := two.ImportProduction("reps.csv", []byte(reps), testProgram(), DefaultProductionColumns(), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	importDeals(t, two, "feb.csv", dealsFeb, ImportOptions{})

	one := seeded(t)
	if _, err := one.ImportProduction("reps.csv", []byte(reps), testProgram(), DefaultProductionColumns(), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	importDeals(t, one, "union.csv", dealsUnion, ImportOptions{})

	for name, s := range map[string]*Store{"two files": two, "their union": one} {
		if got := allSeries(t, s); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, want)
		}
		// A later export of deals that count for nothing makes each partner
		// aggregated again from its stored deals: the same numbers.
		importDeals(t, s, "later.csv", dealsHead+"Z1,NWG,0,Prospecting,2026-01-02,,no,\r\n"+
			"Z2,Brightpath,0,Prospecting,2026-01-02,,no,\r\nZ3,contoso,0,Prospecting,2026-04-05,,no,\r\n", ImportOptions{})
		if got := allSeries(t, s); !reflect.DeepEqual(got, want) {
			t.Errorf("%s, aggregated again:\n got %v\nwant %v", name, got, want)
		}
	}

	// The deals of Brightpath's emptied Q1 before the second file: the
	// period it no longer has deals in is gone, not left at its old values.
	bp := seeded(t)
	importDeals(t, bp, "jan.csv", dealsJan, ImportOptions{})
	if got := allSeries(t, bp)["brightpath-analytics"][q1]["sourced_pipeline"]; got != 250.10 {
		t.Errorf("brightpath Q1 after jan.csv = %v, want 250.10", got)
	}
}

func TestImportDealsMovedDeal(t *testing.T) {
	s := seeded(t)
	importDeals(t, s, "a.csv", dealsHead+"X1,NWG,100,Closed Won,2026-01-15,2026-02-20,TRUE,\r\n", ImportOptions{})
	if _, err := s.ImportProduction("reps.csv", []byte("partner,period,certified_reps\nNWG,2026-Q1,6\n"), testProgram(), DefaultProductionColumns(), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	importDeals(t, s, "y.csv", dealsHead+"Y1,Brightpath,5,Prospecting,2026-05-15,,TRUE,\r\n", ImportOptions{})
	importDeals(t, s, "b.csv", dealsHead+"X1,Contoso,100,Closed Won,2026-01-15,2026-02-20,TRUE,\r\n"+
		"Y1,Contoso,5,Prospecting,2026-05-15,,TRUE,\r\n", ImportOptions{})
	got := allSeries(t, s)
	q1 := model.MustPeriod("2026-Q1")
	// Its deal metrics leave with the deal; the rows' certified reps stay.
	if nw, want := got["northwind-global"], (seriesValues{q1: {"certified_reps": 6}}); !reflect.DeepEqual(nw, want) {
		t.Errorf("northwind = %v after its only deal moved, want %v", nw, want)
	}
	if c := got["contoso"][q1]; c["sourced_revenue"] != 100 || c["sourced_pipeline"] != 100 {
		t.Errorf("contoso Q1 = %v, want the moved deal", c)
	}
	var moved string
	if err := s.view(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketDeals)
		moved = string(root.Bucket(bucketDealIDs).Get([]byte("X1")))
		if root.Bucket(bucketDealsOfPart).Get(dealKey("northwind-global", "X1")) != nil {
			t.Error("the moved deal is still stored for northwind-global")
		}
		// Left with nothing, Brightpath has no production record at all.
		if v := tx.Bucket(bucketProduction).Get([]byte("brightpath-analytics")); v != nil {
			t.Errorf("brightpath keeps an empty production record %v", v)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if moved != "contoso" {
		t.Errorf("deal X1 belongs to %q, want contoso", moved)
	}
}

func TestImportDealsAgainIsNoOp(t *testing.T) {
	s := seeded(t)
	importDeals(t, s, "feb.csv", dealsFeb, ImportOptions{})
	before := allSeries(t, s)
	if rep := importDeals(t, s, "feb-again.csv", dealsFeb, ImportOptions{}); !rep.AlreadyImported {
		t.Errorf("the same content again: %+v", rep)
	}
	// The same deals in another order, and one of them twice: new bytes,
	// nothing new. A dry run finds nothing to change.
	reordered := dealsHead + dealsFeb[len(dealsHead):][len("006A,NWG,\"$1,234.56\",Closed Won,2026-01-15,2026-02-20,TRUE,2026-01-10\r\n"):] +
		"006A,NWG,\"$1,234.56\",Closed Won,2026-01-15,2026-02-20,TRUE,2026-01-10\r\n" +
		"006E,contoso.com,75,Closed Lost,2026-04-03,2026-04-30,no,2026-04-03\r\n"
	if rep := importDeals(t, s, "reordered.csv", reordered, ImportOptions{DryRun: true}); rep.AlreadyImported || len(rep.Changes) != 0 {
		t.Errorf("reordered dry run: changes %+v", rep.Changes)
	}
	importDeals(t, s, "reordered.csv", reordered, ImportOptions{})
	if after := allSeries(t, s); !reflect.DeepEqual(after, before) {
		t.Errorf("a re-import changed production:\n got %v\nwant %v", after, before)
	}
}

func TestImportDealsDryRun(t *testing.T) {
	s := seeded(t)
	importDeals(t, s, "jan.csv", dealsJan, ImportOptions{})
	before := allSeries(t, s)
	raw, err := os.ReadFile(s.path)
	if err != nil {
		t.Fatal(err)
	}
	logBefore, _ := s.Imports()

	rep := importDeals(t, s, "feb.csv", dealsFeb, ImportOptions{DryRun: true})
	if !rep.DryRun || rep.Written != 5 {
		t.Errorf("dry run report = %+v", rep)
	}
	if after, _ := os.ReadFile(s.path); string(after) != string(raw) {
		t.Error("a dry run changed the store file")
	}
	if log, _ := s.Imports(); len(log) != len(logBefore) {
		t.Errorf("a dry run was logged: %+v", log)
	}
	q1, q2 := model.MustPeriod("2026-Q1"), model.MustPeriod("2026-Q2")
	wantBP := []Change{
		{Partner: "brightpath-analytics", Period: q1, Values: []ValueChange{{Metric: "sourced_pipeline", From: 250.10, To: 500}}},
		{Partner: "brightpath-analytics", Period: q2, Values: []ValueChange{
			{Metric: "registered_deals", Added: true},
			{Metric: "sourced_pipeline", To: 250.10, Added: true},
			{Metric: "sourced_revenue", Added: true},
		}},
	}
	if got := rep.Changes[:2]; !reflect.DeepEqual(got, wantBP) {
		t.Errorf("changes = %+v\nwant %+v", got, wantBP)
	}

	// The real import does what the dry run said, and is not taken for
	// one already done.
	real := importDeals(t, s, "feb.csv", dealsFeb, ImportOptions{})
	if real.AlreadyImported || real.DryRun || real.Changes != nil {
		t.Fatalf("import after a dry run = %+v", real)
	}
	after := allSeries(t, s)
	for _, c := range rep.Changes {
		for _, v := range c.Values {
			got, ok := after[c.Partner][c.Period][v.Metric]
			was := before[c.Partner][c.Period][v.Metric]
			if ok == v.Removed || got != v.To || was != v.From {
				t.Errorf("%s %s %s: %v → %v (present %v), the dry run said %+v", c.Partner, c.Period, v.Metric, was, got, ok, v)
			}
		}
	}
	if got := after["northwind-global"][q2]["sourced_revenue"]; got != 90000.01 {
		t.Errorf("northwind Q2 revenue = %v", got)
	}
}

func TestImportDealsPeriod(t *testing.T) {
	s := seeded(t)
	q1, q2 := model.MustPeriod("2026-Q1"), model.MustPeriod("2026-Q2")
	rep := importDeals(t, s, "feb.csv", dealsFeb, ImportOptions{Period: q2})
	// 006A counts only in Q1; 006C was created in Q1 and is open.
	if rep.Outside != 2 || rep.Written != 3 {
		t.Errorf("report = %+v", rep)
	}
	got := allSeries(t, s)
	for id, ser := range got {
		for p := range ser {
			if p != q2 {
				t.Errorf("%s: %s written by an import for %s: %v", id, p, q2, ser[p])
			}
		}
	}
	// 006B, created in Q1, won in Q2: its revenue counts, its Q1 pipeline is not written.
	if nw := got["northwind-global"][q2]; nw["sourced_revenue"] != 90000.01 || nw["sourced_pipeline"] != 0 {
		t.Errorf("northwind Q2 = %v", nw)
	}
	// The same file for another period is another import.
	if rep := importDeals(t, s, "feb.csv", dealsFeb, ImportOptions{Period: q1}); rep.AlreadyImported || rep.Outside != 2 {
		t.Errorf("the same file for %s: %+v", q1, rep)
	}
	if nw := allSeries(t, s)["northwind-global"][q1]; nw["sourced_pipeline"] != 1234.56+90000.01 {
		t.Errorf("northwind Q1 = %v", nw)
	}
	if _, err := s.ImportDeals("feb.csv", []byte(dealsFeb), testProgram(), csvin.DefaultDealColumns(),
		ImportOptions{Period: model.MustPeriod("2026-H1")}); err == nil {
		t.Error("a half-year period in a quarterly program was accepted")
	}
}

func TestDealRecord(t *testing.T) {
	deals := []model.Deal{
		{Amount: 1234.56, Stage: model.StageWon, Created: day("2026-01-15"), Closed: day("2026-02-20"), Registered: day("2026-01-10"), Sourced: true},
		{Amount: 0.01, Stage: model.StageLost, Created: day("2025-12-31"), Closed: day("2026-01-01")},
		{Stage: model.StageOpen, Created: day("2026-03-31")},
	}
	for _, d := range deals {
		got, err := decodeDeal(encodeDeal(&d))
		if err != nil || !reflect.DeepEqual(got, d) {
			t.Errorf("round trip of %+v = %+v, %v", d, got, err)
		}
	}
	v := encodeDeal(&deals[0])
	badStage := enc{}
	badStage.byte(recordV1)
	badStage.varint(100)
	badStage.byte(9)
	for _, bad := range [][]byte{nil, {2}, v[:len(v)-1], badStage.b} {
		if _, err := decodeDeal(bad); err == nil {
			t.Errorf("decodeDeal(%v) took a corrupt record", bad)
		}
	}
}

// A deal reopened in the CRM no longer closes in its quarter: the win rate
// it gave there goes, while the quarter keeps its pipeline.
func TestImportDealsReopened(t *testing.T) {
	s := seeded(t)
	prog := testProgram()
	prog.Metrics = append(prog.Metrics, model.Metric{Key: "win_rate", Label: "Win rate", Unit: model.Percent, Aggregate: model.Latest})
	q1 := model.MustPeriod("2026-Q1")
	for _, f := range []struct{ name, data string }{
		{"lost.csv", dealsHead + "R1,NWG,100,Closed Lost,2026-01-15,2026-02-20,yes,\r\n"},
		{"reopened.csv", dealsHead + "R1,NWG,100,Negotiation,2026-01-15,,yes,\r\n"},
	} {
		if _, err := s.ImportDeals(f.name, []byte(f.data), prog, csvin.DefaultDealColumns(), ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	got := allSeries(t, s)["northwind-global"]
	if want := (seriesValues{q1: {"sourced_pipeline": 100, "sourced_revenue": 0, "registered_deals": 0}}); !reflect.DeepEqual(got, want) {
		t.Errorf("northwind = %v, want %v", got, want)
	}
}

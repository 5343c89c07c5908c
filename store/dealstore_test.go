package store

import (
	"fmt"
	"os"
	"reflect"
	"slices"
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
	// 006B, created in Q1 and won in Q2, is read (it counts in Q2) and
	// stored whole: its Q2 revenue and its Q1 pipeline are written, as
	// every period a stored deal touches is; 006A (Q1 only) is not read.
	if nw := got["northwind-global"][q2]; nw["sourced_revenue"] != 90000.01 || nw["sourced_pipeline"] != 0 {
		t.Errorf("northwind Q2 = %v", nw)
	}
	if nw := got["northwind-global"][q1]; nw["sourced_pipeline"] != 90000.01 {
		t.Errorf("northwind Q1 = %v, want 006B's pipeline alone", nw)
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

// TestDealMetricsFollowStoredDeals: whatever sequence of exports, a
// partner's deal metrics are the aggregate of the deals stored for it:
// a deal that became direct, a date or a partner corrected through a
// --period import, leave nothing stale behind, and a period left with no
// production at all leaves the list of periods.
func TestDealMetricsFollowStoredDeals(t *testing.T) {
	q1, q2, q3 := model.MustPeriod("2026-Q1"), model.MustPeriod("2026-Q2"), model.MustPeriod("2026-Q3")
	type step struct {
		data string
		opts ImportOptions
	}
	tests := []struct {
		name  string
		steps []step
		check func(t *testing.T, s *Store)
	}{
		{
			name: "a deal that became direct leaves its partner",
			steps: []step{
				{dealsHead + "D1,NWG,100,Closed Won,2026-01-15,2026-02-20,TRUE,\r\n", ImportOptions{}},
				{dealsHead + "D1,,100,Closed Won,2026-01-15,2026-02-20,TRUE,\r\n", ImportOptions{}},
			},
			check: func(t *testing.T, s *Store) {
				if nw := allSeries(t, s)["northwind-global"][q1]; nw != nil {
					t.Errorf("northwind Q1 = %v, want nothing: D1 is a direct deal now", nw)
				}
			},
		},
		{
			name: "a date corrected through --period leaves the old period",
			steps: []step{
				{dealsHead + "P1,NWG,100,Prospecting,2026-03-30,,TRUE,\r\n", ImportOptions{}},
				{dealsHead + "P1,NWG,100,Prospecting,2026-04-01,,TRUE,\r\n", ImportOptions{Period: q2}},
			},
			check: func(t *testing.T, s *Store) {
				nw := allSeries(t, s)["northwind-global"]
				if _, ok := nw[q1]["sourced_pipeline"]; ok || nw[q2]["sourced_pipeline"] != 100 {
					t.Errorf("northwind = %v, want the pipeline in Q2 only", nw)
				}
			},
		},
		{
			name: "a partner corrected through --period moves the deal's every period",
			steps: []step{
				{dealsHead + "M1,NWG,100,Closed Won,2026-03-01,2026-04-10,TRUE,\r\n", ImportOptions{}},
				{dealsHead + "M1,Contoso,100,Closed Won,2026-03-01,2026-04-10,TRUE,\r\n", ImportOptions{Period: q2}},
			},
			check: func(t *testing.T, s *Store) {
				got := allSeries(t, s)
				if nw := got["northwind-global"]; nw[q1]["sourced_pipeline"] != 0 && nw[q1] != nil {
					t.Errorf("northwind Q1 = %v after M1 moved", nw[q1])
				}
				if c := got["contoso"]; c[q1]["sourced_pipeline"] != 100 || c[q2]["sourced_revenue"] != 100 {
					t.Errorf("contoso = %v, want M1's Q1 pipeline and Q2 revenue", c)
				}
			},
		},
		{
			name: "a period nobody has production in leaves the list",
			steps: []step{
				{dealsHead + "T1,NWG,100,Prospecting,2026-08-01,,TRUE,\r\n", ImportOptions{}},
				{dealsHead + "T1,NWG,100,Prospecting,2026-05-01,,TRUE,\r\n", ImportOptions{}},
			},
			check: func(t *testing.T, s *Store) {
				ps, err := s.Periods()
				if err != nil {
					t.Fatal(err)
				}
				if slices.Contains(ps, q3) {
					t.Errorf("Periods() = %v still lists %s, which no partner has production in", ps, q3)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := seeded(t)
			for i, st := range tt.steps {
				importDeals(t, s, fmt.Sprintf("step%d.csv", i), st.data, st.opts)
			}
			tt.check(t, s)
		})
	}
}

// TestReadingChangedIsANewImport: the same file read another way (a won
// stage added to the config) is applied again, not skipped as a repeat.
func TestReadingChangedIsANewImport(t *testing.T) {
	s := seeded(t)
	data := []byte(dealsHead + "W1,NWG,100,Won,2026-01-15,2026-02-20,TRUE,\r\n")
	cols := csvin.DefaultDealColumns()
	if _, err := s.ImportDeals("w.csv", data, testProgram(), cols, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.ImportDeals("w.csv", data, testProgram(), cols, ImportOptions{}); err != nil || !rep.AlreadyImported {
		t.Fatalf("the same file read the same way: %+v, %v; want already imported", rep, err)
	}
	cols.WonStages = append(cols.WonStages, "Won")
	rep, err := s.ImportDeals("w.csv", data, testProgram(), cols, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rev := allSeries(t, s)["northwind-global"][model.MustPeriod("2026-Q1")]["sourced_revenue"]; rep.AlreadyImported || rev != 100 {
		t.Errorf("after adding the won stage: already imported %v, sourced revenue %v, want 100", rep.AlreadyImported, rev)
	}
}

// TestDryRunPredictsTheImport: applying a dry run's changes to the store as
// it was gives the store the real import leaves, for plain, skip-bad,
// create-partners, --period and direct-deal files.
func TestDryRunPredictsTheImport(t *testing.T) {
	files := []struct {
		name string
		data string
		opts ImportOptions
	}{
		{"plain", dealsFeb, ImportOptions{}},
		{"skip bad, create", dealsFeb + "U1,Fabrikam,10,Closed Won,2026-01-15,2026-02-20,TRUE,\r\nB1,NWG,abc,Closed Won,2026-01-15,2026-02-20,TRUE,\r\n", ImportOptions{SkipBad: true, CreatePartners: true}},
		{"skip bad", dealsFeb + "U1,Fabrikam,10,Closed Won,2026-01-15,2026-02-20,TRUE,\r\n", ImportOptions{SkipBad: true}},
		{"period", dealsFeb, ImportOptions{Period: model.MustPeriod("2026-Q2")}},
		{"became direct", dealsHead + "006C,,500,Negotiation,2026-02-01,,yes,\r\n", ImportOptions{}},
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			s := seeded(t)
			importDeals(t, s, "jan.csv", dealsJan, ImportOptions{})
			want := allSeries(t, s)
			dryOpts := f.opts
			dryOpts.DryRun = true
			dry := importDeals(t, s, "f.csv", f.data, dryOpts)
			real := importDeals(t, s, "f.csv", f.data, f.opts)
			if dry.Written != real.Written || !reflect.DeepEqual(dry.Created, real.Created) || len(dry.Bad) != len(real.Bad) {
				t.Errorf("dry run %+v\nreal %+v", dry, real)
			}
			for _, c := range dry.Changes {
				if want[c.Partner] == nil {
					want[c.Partner] = seriesValues{}
				}
				for _, v := range c.Values {
					if want[c.Partner][c.Period] == nil {
						want[c.Partner][c.Period] = map[string]float64{}
					}
					if v.Removed {
						delete(want[c.Partner][c.Period], v.Metric)
						if len(want[c.Partner][c.Period]) == 0 {
							delete(want[c.Partner], c.Period)
						}
						continue
					}
					want[c.Partner][c.Period][v.Metric] = v.To
				}
			}
			for id, got := range allSeries(t, s) {
				if len(got) == 0 && len(want[id]) == 0 {
					continue
				}
				if !reflect.DeepEqual(want[id], got) {
					t.Errorf("%s: the dry run predicts %v, the import left %v", id, want[id], got)
				}
			}
		})
	}
}

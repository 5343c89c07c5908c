package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/partnertiers/partnertiers/model"
)

func TestCreateAndOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "partnertiers")
	path := filepath.Join(dir, "partnertiers.db")
	s, err := Create(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	for _, c := range []struct {
		path string
		mode os.FileMode
	}{{dir, 0o700}, {path, 0o600}} {
		st, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != c.mode {
			t.Errorf("%s mode = %v, want %v", c.path, st.Mode().Perm(), c.mode)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.new-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if err := s.PutPartners([]model.Partner{{ID: "acme", Name: "Acme"}}); err != nil {
		t.Fatal(err)
	}

	// Open reads it; Create on an existing store opens it, never overwrites.
	for name, open := range map[string]func(string, Options) (*Store, error){"Open": Open, "Create": Create} {
		s2, err := open(path, testOptions())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p, err := s2.Partner("acme"); err != nil || p.Name != "Acme" {
			t.Errorf("%s: Partner = %+v, %v", name, p, err)
		}
		if s2.Migration() != nil {
			t.Errorf("%s: migrated a current store", name)
		}
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	missing := filepath.Join(dir, "missing.db")
	empty := write("empty.db", nil)
	junk := write("junk.db", []byte(strings.Repeat("not a database ", 1000)))
	csv := write("roster.csv", []byte(roster))
	tiny := write("tiny.db", []byte{0xed})
	foreign := filepath.Join(dir, "foreign.db")
	db, err := bolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// A real store cut short: bbolt alone would fault reading past the end.
	whole := bigStore(t)
	data, err := os.ReadFile(whole.Path())
	if err != nil {
		t.Fatal(err)
	}
	half := write("half.db", data[:len(data)/2])
	page := write("page.db", data[:100])

	const hint = "; restore a backup with `partnertiers restore FILE`"
	tests := []struct {
		name, path, want string
		is               error
	}{
		{"missing", missing, "no store at " + missing + ": run `partnertiers init`", ErrNoStore},
		{"folder", dir, "open store: " + dir + " is a folder, not a store file", nil},
		{"empty", empty, "store " + empty + " is empty (0 bytes), not a partnertiers store" + hint, ErrDamaged},
		{"not bbolt", junk, "store " + junk + " is not a partnertiers store, or is damaged: no valid bbolt header" + hint, ErrDamaged},
		{"a CSV", csv, "store " + csv + " is not a partnertiers store, or is damaged: no valid bbolt header" + hint, ErrDamaged},
		{"one byte", tiny, "store " + tiny + " is not a partnertiers store, or is damaged: no valid bbolt header" + hint, ErrDamaged},
		{"cut in half", half, fmt.Sprintf("store %s is not a partnertiers store, or is damaged: the file is cut short (%d of its ", half, len(data)/2) + "* bytes)" + hint, ErrDamaged},
		{"cut inside the first page", page, "store " + page + " is not a partnertiers store, or is damaged: the file is cut short (100 of its * bytes)" + hint, ErrDamaged},
		{"another app's bbolt", foreign, "store " + foreign + ` is not a partnertiers store (it holds a bucket "widgets")`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(tt.path)
			_, err := Open(tt.path, testOptions())
			if err == nil || !matchNumber(err.Error(), tt.want) {
				t.Fatalf("Open error = %v, want %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error does not wrap %v", tt.is)
			}
			if after, _ := os.ReadFile(tt.path); !bytes.Equal(after, before) {
				t.Error("Open changed the file it refused")
			}
		})
	}
}

// matchNumber reports whether got is want with its "*", if any, standing
// for a number.
func matchNumber(got, want string) bool {
	pre, post, wild := strings.Cut(want, "*")
	if !wild {
		return got == want
	}
	mid, ok1 := strings.CutPrefix(got, pre)
	mid, ok2 := strings.CutSuffix(mid, post)
	_, err := strconv.ParseUint(mid, 10, 64)
	return ok1 && ok2 && err == nil
}

// bigStore is a store of a few hundred pages: 3000 partners.
func bigStore(t testing.TB) *Store {
	t.Helper()
	s := newStore(t)
	var r strings.Builder
	r.WriteString("name,track,tier,joined,domains\n")
	for i := range 3000 {
		fmt.Fprintf(&r, "Big Partner %d,reseller,silver,2024-01-01,b%d.example\n", i, i)
	}
	if _, err := s.ImportPartners("big.csv", []byte(r.String()), testProgram(), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return s
}

// A store damaged after it was opened: every read and write says so, and
// nothing panics.
func TestDamagedAfterOpen(t *testing.T) {
	s := bigStore(t)
	st, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(s.Path(), st.Size()/2); err != nil {
		t.Fatal(err)
	}
	ops := map[string]func() error{
		"Snapshot":    func() error { _, err := s.Snapshot(); return err },
		"Partner":     func() error { _, err := s.Partner("big-partner-2999"); return err },
		"PutPartners": func() error { return s.PutPartners([]model.Partner{{ID: "x", Name: "X"}}) },
		"Check":       s.Check,
		"Backup":      func() error { return s.Backup(filepath.Join(t.TempDir(), "b.db")) },
	}
	for name, op := range ops {
		if err := op(); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "cut short") {
			t.Errorf("%s on a store cut short: %v, want ErrDamaged", name, err)
		}
	}
}

// setVersion rewrites a store's schema version behind its back.
func setVersion(t *testing.T, path, v string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyVersion, []byte(v)) }); err != nil {
		t.Fatal(err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s := seeded(t)
	setVersion(t, s.Path(), strconv.Itoa(SchemaVersion+1))
	want := fmt.Sprintf("store %s has schema version %d, newer than this partnertiers understands (%d): upgrade partnertiers", s.Path(), SchemaVersion+1, SchemaVersion)
	_, err := Open(s.Path(), testOptions())
	if err == nil || err.Error() != want || !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open error = %v, want %q wrapping ErrNewerSchema", err, want)
	}
	// A Store opened before the upgrade refuses too, for reads and writes.
	if _, err := s.Partners(); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("Partners error = %v, want ErrNewerSchema", err)
	}
	if err := s.PutPartners([]model.Partner{{ID: "x", Name: "X"}}); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("PutPartners error = %v, want ErrNewerSchema", err)
	}
}

// writeV0 writes a store in the layout before schema versions: partners
// and history, no meta bucket, no names index, no import log.
func writeV0(t *testing.T, path string, ps []model.Partner, hs []model.History) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		pb, err := tx.CreateBucket(bucketPartners)
		if err != nil {
			return err
		}
		for i := range ps {
			if err := pb.Put([]byte(ps[i].ID), encodePartner(&ps[i])); err != nil {
				return err
			}
		}
		mb, err := tx.CreateBucket(bucketMetrics)
		if err != nil {
			return err
		}
		if err := mb.Put([]byte("certified_reps"), []byte{1}); err != nil {
			return err
		}
		prb, err := tx.CreateBucket(bucketProduction)
		if err != nil {
			return err
		}
		series := seriesValues{model.MustPeriod("2025-Q4"): {"certified_reps": 3}, model.MustPeriod("2025-Q3"): {"certified_reps": 2}}
		if err := prb.Put([]byte("contoso"), encodeSeries(series, map[string]uint64{"certified_reps": 1})); err != nil {
			return err
		}
		hb, err := tx.CreateBucket(bucketHistory)
		if err != nil {
			return err
		}
		for i := range hs {
			seq, _ := hb.NextSequence()
			if err := hb.Put(historyKey(hs[i].Partner, seq), encodeHistory(&hs[i])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateFromV0(t *testing.T) {
	path := filepath.Join(t.TempDir(), "partnertiers.db")
	ps := []model.Partner{
		{ID: "northwind-global", Name: "Northwind Global", Aliases: []string{"NWG"}, Domains: []string{"northwind.com"}, Tier: "gold", Track: "reseller"},
		{ID: "contoso", Name: "Contoso", Tier: "silver", Track: "isv"},
	}
	hs := []model.History{{Partner: "contoso", From: "registered", To: "silver", Kind: model.Promote, Period: model.MustPeriod("2025-Q4"), At: testNow}}
	writeV0(t, path, ps, hs)

	s, err := Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	m := s.Migration()
	wantBackup := path + ".bak-v0-20261121T101500"
	if m == nil || m.From != 0 || m.To != SchemaVersion || m.Backup != wantBackup {
		t.Fatalf("Migration() = %+v, want from 0 with backup %s", m, wantBackup)
	}
	// The backup is the old store, untouched.
	db, err := bolt.Open(wantBackup, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("backup does not open: %v", err)
	}
	_ = db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) != nil || tx.Bucket(bucketPartners).Get([]byte("contoso")) == nil {
			t.Error("backup is not the version 0 store")
		}
		return nil
	})
	db.Close()
	if st, _ := os.Stat(wantBackup); st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode = %v", st.Mode().Perm())
	}

	// The migrated store has a version, a names index and keeps its data.
	if v, err := s.version(); err != nil || v != SchemaVersion {
		t.Errorf("version = %d, %v", v, err)
	}
	for q, want := range map[string][]string{"nwg": {"northwind-global"}, "NORTHWIND.COM": {"northwind-global"}, "contoso": {"contoso"}} {
		if ids, err := s.FindIDs(q); err != nil || !reflect.DeepEqual(ids, want) {
			t.Errorf("FindIDs(%q) = %v, %v; want %v", q, ids, err, want)
		}
	}
	if h, err := s.History("contoso"); err != nil || len(h) != 1 || h[0].To != "silver" {
		t.Errorf("History = %+v, %v", h, err)
	}
	if se, err := s.Series("contoso"); err != nil || !hasValue(se, model.MustPeriod("2025-Q4"), "certified_reps", 3) {
		t.Errorf("Series = %v, %v", se, err)
	}
	if ps, err := s.Periods(); err != nil || !reflect.DeepEqual(ps, []model.Period{model.MustPeriod("2025-Q3"), model.MustPeriod("2025-Q4")}) {
		t.Errorf("Periods = %v, %v", ps, err)
	}
	if _, err := s.ImportPartners("roster.csv", []byte(roster), testProgram(), ImportOptions{}); err != nil {
		t.Errorf("import after migration: %v", err)
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}

	// Opening again migrates nothing.
	s2, err := Open(path, testOptions())
	if err != nil || s2.Migration() != nil {
		t.Errorf("second Open: %+v, %v", s2.Migration(), err)
	}
}

func TestMigrationTable(t *testing.T) {
	for v := 0; v < SchemaVersion; v++ {
		if _, ok := migrationFrom(v); !ok {
			t.Errorf("no migration from version %d", v)
		}
	}
}

func TestLockWaitIsBounded(t *testing.T) {
	s := seeded(t)
	opts := Options{Now: testOptions().Now} // the default timeout, 1s
	s, err := Open(s.Path(), opts)
	if err != nil {
		t.Fatal(err)
	}

	// Another writer holds the file: reads and writes give up with ErrBusy.
	writer, err := bolt.Open(s.Path(), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]func() error{
		"PutPartners": func() error { return s.PutPartners([]model.Partner{{ID: "x", Name: "X"}}) },
		"Partners":    func() error { _, err := s.Partners(); return err },
		"Open":        func() error { _, err := Open(s.Path(), opts); return err },
	}
	for name, op := range ops {
		start := time.Now()
		err := op()
		took := time.Since(start)
		if !errors.Is(err, ErrBusy) {
			t.Errorf("%s with a writer: error = %v, want ErrBusy", name, err)
			continue
		}
		if took > 2*time.Second {
			t.Errorf("%s waited %v", name, took)
		}
		if !strings.HasPrefix(err.Error(), "store "+s.Path()+" is busy: another partnertiers is ") || !strings.HasSuffix(err.Error(), "; try again") {
			t.Errorf("%s: message %q", name, err)
		}
	}
	writer.Close()

	// Another reader holds the file: reads work, a write waits and gives up.
	reader, err := bolt.Open(s.Path(), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if ps, err := s.Partners(); err != nil || len(ps) != 3 {
		t.Errorf("Partners beside a reader = %d, %v", len(ps), err)
	}
	if _, err := s.NameEntries(); err != nil {
		t.Errorf("NameEntries beside a reader: %v", err)
	}
	if err := s.PutPartners([]model.Partner{{ID: "x", Name: "X"}}); !errors.Is(err, ErrBusy) {
		t.Errorf("PutPartners beside a reader: %v, want ErrBusy", err)
	}
	reader.Close()

	// Free again: the write goes through.
	if err := s.PutPartners([]model.Partner{{ID: "x", Name: "X"}}); err != nil {
		t.Errorf("PutPartners when free: %v", err)
	}
}

func TestConcurrentUseInOneProcess(t *testing.T) {
	s := seeded(t)
	errs := make(chan error, 40)
	for i := range 20 {
		go func() {
			errs <- s.AppendHistory(model.History{Partner: "contoso", Reason: "r", At: testNow.Add(time.Duration(i))})
		}()
		go func() { _, err := s.Snapshot(); errs <- err }()
	}
	for range 40 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if h, _ := s.History("contoso"); len(h) != 20 {
		t.Errorf("history = %d entries, want 20", len(h))
	}
}

func TestPartnersAndNamesIndex(t *testing.T) {
	s := newStore(t)
	p := model.Partner{
		ID: "acme", Name: "Acme \x1b[31mCorp\x1b[0m", Track: "reseller", Manager: "Dana Reyes",
		Domains: []string{"ACME.com"}, Aliases: []string{"Roadrunner Inc", "ACME Intl"},
		Tier: "silver", TierSince: day("2025-04-01"), Joined: day("2020-01-02"),
	}
	if err := s.PutPartners([]model.Partner{p}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Partner("acme")
	if err != nil {
		t.Fatal(err)
	}
	p.Name, p.Domains = "Acme Corp", []string{"acme.com"}
	if !reflect.DeepEqual(got, p) {
		t.Errorf("Partner = %+v\nwant      %+v", got, p)
	}
	find := func(q string) []string {
		t.Helper()
		ids, err := s.FindIDs(q)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	for _, q := range []string{"acme", "ACME CORP", " roadrunner inc ", "acme.com", "acme intl"} {
		if ids := find(q); !reflect.DeepEqual(ids, []string{"acme"}) {
			t.Errorf("FindIDs(%q) = %v", q, ids)
		}
	}

	// Aliases change: the old one leaves the index, the new one enters.
	p.Aliases = []string{"Wile E"}
	p.Name = "Acme Corporation"
	if err := s.PutPartners([]model.Partner{p}); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{"roadrunner inc": nil, "acme corp": nil, "wile e": {"acme"}, "acme corporation": {"acme"}} {
		if ids := find(q); !reflect.DeepEqual(ids, want) {
			t.Errorf("after the change, FindIDs(%q) = %v, want %v", q, ids, want)
		}
	}
	// Two partners sharing an alias are both found.
	if err := s.PutPartners([]model.Partner{{ID: "acme-emea", Name: "Acme EMEA", Aliases: []string{"wile e"}}}); err != nil {
		t.Fatal(err)
	}
	if ids := find("Wile E"); !reflect.DeepEqual(ids, []string{"acme", "acme-emea"}) {
		t.Errorf("shared alias: %v", ids)
	}

	entries, err := s.NameEntries()
	if err != nil {
		t.Fatal(err)
	}
	want := []model.NameEntry{
		{ID: "acme", Name: "Acme Corporation", Aliases: []string{"Wile E"}, Domains: []string{"acme.com"}},
		{ID: "acme-emea", Name: "Acme EMEA", Aliases: []string{"wile e"}},
	}
	if !reflect.DeepEqual(entries, want) {
		t.Errorf("NameEntries = %+v", entries)
	}
	if r := model.Lookup(entries, "emea"); len(r.Matches) != 1 || r.Matches[0].ID != "acme-emea" {
		t.Errorf("Lookup = %+v", r)
	}

	if _, err := s.Partner("nobody"); !errors.Is(err, ErrNotFound) || err.Error() != `partner "nobody": not found` {
		t.Errorf("missing partner: %v", err)
	}
	for _, bad := range []model.Partner{{ID: "Acme Inc", Name: "x"}, {ID: "", Name: "x"}, {ID: "ok", Name: "\x1b[0m"}} {
		if err := s.PutPartners([]model.Partner{bad}); err == nil {
			t.Errorf("PutPartners(%+v) accepted", bad)
		}
	}
}

func TestPartnersSortedByName(t *testing.T) {
	s := newStore(t)
	err := s.PutPartners([]model.Partner{
		{ID: "a", Name: "zeta"}, {ID: "b", Name: "Alpha"}, {ID: "c", Name: "beta"}, {ID: "d", Name: "alpha"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range mustPartners(t, s) {
		ids = append(ids, p.ID)
	}
	if want := []string{"b", "d", "c", "a"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("order = %v, want %v", ids, want)
	}
}

func TestHistoryAppendOrder(t *testing.T) {
	s := newStore(t)
	q := model.MustPeriod("2026-Q1")
	entries := []model.History{
		{Partner: "b", From: "", To: "registered", Period: q, Kind: model.New, At: testNow},
		{Partner: "a", From: "registered", To: "silver", Period: q, Kind: model.Promote, Reason: "earned", By: "dana", At: testNow},
		{Partner: "a", From: "silver", To: "gold", Period: q.Next(), Kind: model.Promote, Override: true, Reason: "strategic \x1b[1m!", At: testNow.Add(time.Hour)},
	}
	if err := s.AppendHistory(entries[:2]...); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendHistory(entries[2]); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendHistory(model.History{Partner: "a", To: "gold"}, model.History{Partner: "Bad Id"}); err == nil {
		t.Error("AppendHistory accepted a bad id")
	}
	entries[2].Reason = "strategic !"
	a, err := s.History("a")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, entries[1:]) {
		t.Errorf("History(a) = %+v", a)
	}
	all, err := s.AllHistory()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(all, entries) {
		t.Errorf("AllHistory = %+v", all)
	}
	if h, err := s.History("nobody"); err != nil || len(h) != 0 {
		t.Errorf("History(nobody) = %v, %v", h, err)
	}
}

func TestProductionMerge(t *testing.T) {
	s := newStore(t)
	q1, q2 := model.MustPeriod("2026-Q1"), model.MustPeriod("2026-Q2")
	err := s.PutProduction([]model.Production{
		{Partner: "a", Period: q1, Values: map[string]float64{"sourced_pipeline": 1234.5, "certified_reps": 3}},
		{Partner: "a", Period: q2, Values: map[string]float64{"sourced_pipeline": -20, "big": 1e300}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutProduction([]model.Production{{Partner: "a", Period: q1, Values: map[string]float64{"certified_reps": 4, "joint_customers": 1}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Series("a")
	if err != nil {
		t.Fatal(err)
	}
	want := seriesValues{
		q1: {"sourced_pipeline": 1234.5, "certified_reps": 4, "joint_customers": 1},
		q2: {"sourced_pipeline": -20, "big": 1e300},
	}
	if !reflect.DeepEqual(got.Map(), want) {
		t.Errorf("Series = %v, want %v", got, want)
	}
	if got, err := s.Series("nobody"); err != nil || got.Len() != 0 {
		t.Errorf("Series(nobody) = %v, %v", got, err)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	s := seeded(t)
	prod := "partner,period,sourced_pipeline,certified_reps\n" +
		"northwind-global,2026-Q2,0,5\nnorthwind-global,2026-Q1,$450000,5\nContoso,2025-Q4,120000,2\n"
	if _, err := s.ImportProduction("prod.csv", []byte(prod), testProgram(), DefaultProductionColumns(), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	h := model.History{Partner: "contoso", From: "registered", To: "silver", Period: model.MustPeriod("2025-Q4"), Kind: model.Promote, At: testNow}
	if err := s.AppendHistory(h); err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range snap.Partners {
		names = append(names, p.Name)
	}
	if want := []string{"Brightpath Analytics", "Contoso", "Northwind Global"}; !reflect.DeepEqual(names, want) {
		t.Errorf("partners = %v", names)
	}
	nw := snap.Partners[2]
	if nw.Tier != "gold" || nw.Manager != "Dana Reyes" || !nw.Joined.Equal(day("2021-03-01")) || !nw.TierSince.Equal(nw.Joined) ||
		!reflect.DeepEqual(nw.Aliases, []string{"NWG", "Northwind"}) || !reflect.DeepEqual(nw.Domains, []string{"northwind.com"}) {
		t.Errorf("northwind = %+v", nw)
	}
	wantProd := map[string]seriesValues{
		"northwind-global": {
			model.MustPeriod("2026-Q1"): {"sourced_pipeline": 450000, "certified_reps": 5},
			model.MustPeriod("2026-Q2"): {"sourced_pipeline": 0, "certified_reps": 5},
		},
		"contoso": {model.MustPeriod("2025-Q4"): {"sourced_pipeline": 120000, "certified_reps": 2}},
	}
	gotProd := map[string]seriesValues{}
	for id, s := range snap.Production {
		gotProd[id] = s.Map()
	}
	if !reflect.DeepEqual(gotProd, wantProd) {
		t.Errorf("production = %v", snap.Production)
	}
	if want := []model.Period{model.MustPeriod("2025-Q4"), model.MustPeriod("2026-Q1"), model.MustPeriod("2026-Q2")}; !reflect.DeepEqual(snap.Periods, want) {
		t.Errorf("periods = %v", snap.Periods)
	}
	if !reflect.DeepEqual(snap.History, map[string][]model.History{"contoso": {h}}) {
		t.Errorf("history = %+v", snap.History)
	}
	if ps, err := s.Periods(); err != nil || !reflect.DeepEqual(ps, snap.Periods) {
		t.Errorf("Periods() = %v, %v; want %v", ps, err, snap.Periods)
	}
	// Without the stored list, Periods gathers it from the production.
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keyPeriods) }); err != nil {
		t.Fatal(err)
	}
	if ps, err := s.Periods(); err != nil || !reflect.DeepEqual(ps, snap.Periods) {
		t.Errorf("Periods() from production = %v, %v; want %v", ps, err, snap.Periods)
	}
	// The snapshot feeds the domain as it is: the store's production starts
	// in 2025-Q4 (Contoso's), when Northwind had none, so its windows to
	// 2026-Q1 and to Q2 both miss Gold: a demotion.
	prog := testProgram()
	pr := model.Propose(prog, &nw, snap.Production[nw.ID], model.MustPeriod("2026-Q2"), snap.Periods[0])
	if pr.Kind != model.Demote {
		t.Errorf("northwind proposal = %s (%s)", pr.Kind, pr.Explanation)
	}
}

func TestBackup(t *testing.T) {
	s := seeded(t)
	if err := s.AppendHistory(model.History{Partner: "contoso", To: "silver", At: testNow}); err != nil {
		t.Fatal(err)
	}
	// A reader holds the store open meanwhile: the backup still works.
	reader, err := bolt.Open(s.Path(), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	dst := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(dst, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(dst); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(dst); st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode = %v", st.Mode().Perm())
	}
	if left, _ := filepath.Glob(dst + ".tmp-*"); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	b, err := Open(dst, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Check(); err != nil {
		t.Error(err)
	}
	want, _ := s.Snapshot()
	got, err := b.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, got, want)
	if err := s.Backup(s.Path()); err == nil {
		t.Error("Backup over the store itself was accepted")
	}
	if err := s.Backup(filepath.Join(t.TempDir(), "no", "such", "dir", "b.db")); err == nil {
		t.Error("Backup into a missing folder was accepted")
	}
}

func TestCodecRoundTrip(t *testing.T) {
	ps := []model.Partner{
		{},
		{ID: "x", Name: "X"},
		{ID: "full", Name: "Full Name", Track: "isv", Manager: "M", Aliases: []string{"a", "b"}, Domains: []string{"d.com"},
			Tier: "gold", TierSince: time.Date(1969, 7, 20, 0, 0, 0, 0, time.UTC), Joined: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), Exited: true},
		{ID: "only-domains", Name: "D", Domains: []string{"d.com", "e.org"}},
	}
	for _, p := range ps {
		got, err := decodePartner(p.ID, encodePartner(&p))
		if err != nil || !reflect.DeepEqual(got, p) {
			t.Errorf("partner round trip: %+v, %v; want %+v", got, err, p)
		}
		// every truncation is an error, never a panic
		enc := encodePartner(&p)
		for i := range enc {
			if _, err := decodePartner(p.ID, enc[:i]); err == nil {
				t.Errorf("truncated partner record (%d of %d bytes) decoded", i, len(enc))
			}
		}
	}
	hs := []model.History{
		{Partner: "a"},
		{Partner: "a-b", From: "x", To: "y", Period: model.MustPeriod("2026-H2"), Kind: model.Demote, Reason: "why", Override: true, By: "me", At: testNow.Add(123)},
	}
	for _, h := range hs {
		var scratch []byte
		got, seq, err := decodeHistory(historyKey(h.Partner, 7), encodeHistory(&h), &scratch)
		if err != nil || seq != 7 || !reflect.DeepEqual(got, h) {
			t.Errorf("history round trip: %+v, %d, %v; want %+v", got, seq, err, h)
		}
	}
	names := []string{"", "m1", "m2"}
	ids := map[string]uint64{"m1": 1, "m2": 2}
	series := seriesValues{
		model.MustPeriod("2026-Q1"): {"m1": 1, "m2": -2.5},
		model.MustPeriod("2025-Q4"): {"m1": 1 << 60},
		model.MustPeriod("2026-H1"): {},
	}
	var sb model.SeriesBuilder
	got, err := decodeSeries(encodeSeries(series, ids), names, &sb)
	if err != nil || !reflect.DeepEqual(got.Map(), series) {
		t.Errorf("series round trip: %v, %v", got, err)
	}
}

func TestCheckFindsNothingOnAFreshStore(t *testing.T) {
	s := seeded(t)
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}

func FuzzDecodeRecords(f *testing.F) {
	p := model.Partner{ID: "x", Name: "X", Aliases: []string{"a"}, Domains: []string{"d.com"}, Joined: testNow}
	f.Add(encodePartner(&p))
	h := model.History{Partner: "x", To: "gold", At: testNow}
	f.Add(encodeHistory(&h))
	f.Add(encodeSeries(seriesValues{model.MustPeriod("2026-Q1"): {"m": 1.5}}, map[string]uint64{"m": 1}))
	pr := model.Proposal{Partner: "x", Name: "X", Kind: model.Promote, From: "silver", To: "gold", Earned: "gold", Explanation: "why"}
	f.Add(encodeProposal(&pr))
	f.Add(encodeProposalV1(&pr, 7))
	f.Fuzz(func(t *testing.T, data []byte) {
		var scratch []byte
		if pr, err := decodeProposal([]byte("x"), data); err == nil {
			// whatever decodes re-encodes to something that decodes the same
			again, err := decodeProposal([]byte("x"), encodeProposal(&pr))
			if err != nil || !reflect.DeepEqual(again, pr) {
				t.Fatalf("proposal does not round-trip: %+v vs %+v (%v)", pr, again, err)
			}
		}
		if p, err := decodePartnerKV([]byte("x"), data, &scratch); err == nil {
			// whatever decodes re-encodes to something that decodes the same
			again, err := decodePartner("x", encodePartner(&p))
			if err != nil || !reflect.DeepEqual(again, p) {
				t.Fatalf("partner does not round-trip: %+v vs %+v (%v)", p, again, err)
			}
		}
		_, _ = decodeNameEntry([]byte("x"), data, &scratch)
		_, _, _ = decodeHistory(append([]byte("x\x00"), make([]byte, 8)...), data, &scratch)
		var sb model.SeriesBuilder
		if s, err := decodeSeries(data, []string{"", "m", "n"}, &sb); err == nil {
			// whatever decodes re-encodes to something that decodes the same
			again, err := decodeSeries(encodeSeries(s.Map(), map[string]uint64{"m": 1, "n": 2}), []string{"", "m", "n"}, &sb)
			if err != nil || !reflect.DeepEqual(again.Map(), s.Map()) {
				t.Fatalf("series does not round-trip: %v vs %v (%v)", s, again, err)
			}
		}
		_, _ = seriesPeriods(data)
	})
}

func TestErrorsWrapSentinels(t *testing.T) {
	for _, err := range []error{noStore("p"), busy("p", true), newerSchema("p", 9), damaged("p", "x"), full("p", bolterrors.ErrMaxSizeReached)} {
		if !slices.ContainsFunc([]error{ErrNoStore, ErrBusy, ErrNewerSchema, ErrDamaged, ErrFull}, func(s error) bool { return errors.Is(err, s) }) {
			t.Errorf("%v wraps no sentinel", err)
		}
	}
}

func TestLookup(t *testing.T) {
	s := seeded(t)
	if err := s.PutPartners([]model.Partner{
		{ID: "northstar", Name: "Northstar Labs"},
		{ID: "dup", Name: "First"}, {ID: "dup", Name: "Second wins"}, // the last of a repeated id wins
	}); err != nil {
		t.Fatal(err)
	}
	entries, err := s.NameEntries()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query       string
		matches     []string
		suggestions bool
	}{
		{"Northwind Global", []string{"northwind-global"}, false},
		{"nwg", []string{"northwind-global"}, false},
		{"BRIGHTPATH.IO", []string{"brightpath-analytics"}, false},
		{"northw", []string{"northwind-global"}, false},
		{"north", []string{"northstar", "northwind-global"}, false},
		{"second", []string{"dup"}, false},
		{"first", nil, false},
		{"nrthwind", nil, true},
		{"   ", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := s.Lookup(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, m := range got.Matches {
				ids = append(ids, m.ID)
			}
			if !reflect.DeepEqual(ids, tt.matches) || (len(got.Suggestions) > 0) != tt.suggestions {
				t.Errorf("Lookup(%q) = %v, suggestions %v", tt.query, ids, got.Suggestions)
			}
			// the same answer as the model's lookup over every name
			if want := model.Lookup(entries, tt.query); !reflect.DeepEqual(got, want) {
				t.Errorf("Lookup(%q) = %+v, model.Lookup = %+v", tt.query, got, want)
			}
		})
	}
}

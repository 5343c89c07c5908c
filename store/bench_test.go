package store

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
)

// genStore builds a store of n partners with four quarters of production
// and a history entry for every tenth partner.
func genStore(b *testing.B, n int) *Store {
	b.Helper()
	s, err := Create(filepath.Join(b.TempDir(), "bench.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	tracks := []string{"reseller", "isv", "referral"}
	tiers := []string{"registered", "silver", "gold"}
	managers := []string{"Dana Reyes", "Sam Okafor", "Priya Natarajan"}
	ps := make([]model.Partner, n)
	var prod []model.Production
	var hist []model.History
	q := model.MustPeriod("2026-Q1")
	for i := range ps {
		name := fmt.Sprintf("Partner %06d Systems", i)
		ps[i] = model.Partner{
			ID: model.Slug(name), Name: name, Track: tracks[i%3], Manager: managers[i%3],
			Domains: []string{fmt.Sprintf("p%06d.example", i)}, Tier: tiers[i%3],
			TierSince: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Joined: time.Date(2020, 1, 1+i%28, 0, 0, 0, 0, time.UTC),
		}
		if i%5 == 0 {
			ps[i].Aliases = []string{fmt.Sprintf("P%d", i)}
		}
		for j := range 4 {
			prod = append(prod, model.Production{Partner: ps[i].ID, Period: q.Step(-j), Values: map[string]float64{
				"sourced_pipeline": float64(i*1000 + j), "sourced_revenue": float64(i * 300), "certified_reps": float64(i % 7),
				"joint_customers": float64(i % 11), "registered_deals": float64(i % 13),
			}})
		}
		if i%10 == 0 {
			hist = append(hist, model.History{Partner: ps[i].ID, From: "registered", To: tiers[i%3], Period: q, Kind: model.Promote, Reason: "earned", By: "dana", At: time.Now()})
		}
	}
	if err := s.PutPartners(ps); err != nil {
		b.Fatal(err)
	}
	if err := s.PutProduction(prod); err != nil {
		b.Fatal(err)
	}
	if err := s.AppendHistory(hist...); err != nil {
		b.Fatal(err)
	}
	return s
}

func benchSnapshot(b *testing.B, n int) {
	s := genStore(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	var snap *Snapshot
	for b.Loop() {
		var err error
		if snap, err = s.Snapshot(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if len(snap.Partners) != n || len(snap.Periods) != 4 {
		b.Fatalf("snapshot has %d partners, %d periods", len(snap.Partners), len(snap.Periods))
	}
	// What a loaded snapshot keeps alive, and how much of it is partners.
	snap = nil
	b.ReportMetric(liveBytes(func() any { snap, _ := s.Snapshot(); return snap })/float64(n), "live-B/partner")
	b.ReportMetric(liveBytes(func() any { ps, _ := s.Partners(); return ps })/float64(n), "partners-B/partner")
}

// liveBytes is the heap that what load returns keeps alive.
func liveBytes(load func() any) float64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	v := load()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc)
}

// BenchmarkSnapshot loads 10k partners × 4 periods.
func BenchmarkSnapshot(b *testing.B) { benchSnapshot(b, 10_000) }

// BenchmarkSnapshot100k is the memory target's size: 100k partners.
func BenchmarkSnapshot100k(b *testing.B) { benchSnapshot(b, 100_000) }

// BenchmarkRawScan is the floor the app's start is measured against: open
// the file, walk partners and production, decode every record.
func BenchmarkRawScan(b *testing.B) {
	s := genStore(b, 10_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rawScan(b, s)
	}
}

func rawScan(b *testing.B, s *Store) {
	err := s.view(func(tx *bolt.Tx) error {
		if _, err := readPartnersByID(tx); err != nil {
			return err
		}
		names, err := metricNames(tx)
		if err != nil {
			return err
		}
		var sb model.SeriesBuilder
		return tx.Bucket(bucketProduction).ForEach(func(k, v []byte) error {
			_, err := decodeSeries(v, names, &sb)
			return err
		})
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLookup100k is the store's part of `show NAME` at 100k
// partners: open a handle, try the exact index, then read every name.
func BenchmarkLookup100k(b *testing.B) {
	s := genStore(b, 100_000)
	b.Run("FindIDs", func(b *testing.B) {
		for b.Loop() {
			s2, err := Open(s.Path(), Options{})
			if err != nil {
				b.Fatal(err)
			}
			if ids, err := s2.FindIDs("partner 099999 systems"); err != nil || len(ids) != 1 {
				b.Fatal(ids, err)
			}
		}
	})
	b.Run("Lookup-part", func(b *testing.B) {
		for b.Loop() {
			if r, err := s.Lookup("099999 sys"); err != nil || len(r.Matches) != 1 {
				b.Fatal(r, err)
			}
		}
	})
	b.Run("NameEntries", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			es, err := s.NameEntries()
			if err != nil || len(es) != 100_000 {
				b.Fatal(len(es), err)
			}
		}
	})
}

// BenchmarkImport imports a 10k-partner roster and its production for four
// quarters (40k rows) into a fresh store.
func BenchmarkImport(b *testing.B) {
	const n = 10_000
	var r, p strings.Builder
	r.WriteString("id,name,track,manager,domains,aliases,tier,joined\n")
	p.WriteString("partner,period,sourced_pipeline,sourced_revenue,certified_reps,joint_customers,registered_deals\n")
	for i := range n {
		j := (i * 7919) % n // not in id order, as a CRM export would be
		fmt.Fprintf(&r, "p-%06d,Partner %06d Systems,reseller,Dana Reyes,p%06d.example,P%d,silver,2020-01-01\n", j, j, j, j)
		for _, q := range []string{"2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"} {
			fmt.Fprintf(&p, "Partner %06d Systems,%s,\"$%d,000\",%d,%d,%d,%d\n", j, q, j%900+1, j*3, j%7, j%11, j%13)
		}
	}
	prog := testProgram()
	for b.Loop() {
		b.StopTimer()
		s, err := Create(filepath.Join(b.TempDir(), "bench.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := s.ImportPartners("roster.csv", []byte(r.String()), prog, ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ImportProduction("production.csv", []byte(p.String()), prog, DefaultProductionColumns(), ImportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

package store

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
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

// BenchmarkRawScan10k is the floor the app's start is held against
// (DESIGN §10): open the store file with bbolt, walk partners and
// production, decode every record. The store is made by the sample
// generator through the importers, as `init --sample --size N` makes it.
func BenchmarkRawScan10k(b *testing.B) { benchRawScan(b, 10_000) }

// BenchmarkRawScan100k is the floor at 100k partners.
func BenchmarkRawScan100k(b *testing.B) { benchRawScan(b, 100_000) }

func benchRawScan(b *testing.B, n int) {
	s := sampleStore(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	var got int
	for b.Loop() {
		got = rawScan(b, s)
	}
	if got != n {
		b.Fatalf("scanned %d partners, want %d", got, n)
	}
}

// rawScan opens the file read-only with bbolt directly (no Store), decodes
// every partner and every production record, and returns how many
// partners it read.
func rawScan(b *testing.B, s *Store) int {
	db, err := bolt.Open(s.Path(), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var n int
	err = db.View(func(tx *bolt.Tx) error {
		ps, err := readPartnersByID(tx)
		if err != nil {
			return err
		}
		n = len(ps)
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
	return n
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

// For BenchmarkStartup (package store_test), which drives the app on a
// store made like `init --sample --size N`, dated testNow.
var (
	SampleStore = sampleStore
	SampleNow   = testNow
)

// BenchmarkICS10k is DESIGN §10's calendar target: an .ics of 10,000
// meetings, a tenth of them recurring series, imported into a store
// (parsed, expanded inside the import's window, written in one
// transaction), as `partnertiers import calendar FILE` does (target 1 s).
// occurrences counts the meetings stored.
func BenchmarkICS10k(b *testing.B) {
	data := genICS(10_000, testNow)
	zone, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Fatal(err)
	}
	var rep CalendarReport
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		b.StopTimer()
		s, err := Create(filepath.Join(b.TempDir(), "bench.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if rep, err = s.ImportCalendar("bench.ics", data, CalendarOptions{Zone: zone, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	// Every single meeting falls inside the window, and each series adds
	// occurrences; nothing is dropped with a warning.
	if len(rep.Warnings) > 0 || rep.Written != rep.Meetings || rep.Meetings < 12_000 {
		b.Fatalf("imported %d occurrences, wrote %d, warnings %v", rep.Meetings, rep.Written, rep.Warnings)
	}
	b.ReportMetric(float64(rep.Meetings), "occurrences")
}

// genICS is an .ics of n meetings inside the import's window around now
// (the last 26 weeks): every tenth a recurring series (a weekly sync with
// an exception date and a moved occurrence, a fortnightly one that ends, a
// monthly one on the last Friday), the rest single meetings; in a named
// zone, a Windows zone name or UTC; with partner and team attendees, some
// declined, cancelled or free. Deterministic.
func genICS(n int, now time.Time) []byte {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//partnertiers//bench//EN\r\n")
	first := now.AddDate(0, 0, -7*CalendarWeeksBack+1).Truncate(24 * time.Hour)
	zones := []string{"America/New_York", "Pacific Standard Time", ""}
	for i := range n {
		start := first.AddDate(0, 0, i%180).Add(time.Duration(8+i%9) * time.Hour)
		tz := zones[i%len(zones)]
		stamp := func(name string, t time.Time) {
			if tz == "" {
				b.WriteString(name + ":" + t.Format("20060102T150405Z") + "\r\n")
			} else {
				b.WriteString(name + ";TZID=" + tz + ":" + t.Format("20060102T150405") + "\r\n")
			}
		}
		uid := "m" + strconv.Itoa(i) + "@bench.example"
		b.WriteString("BEGIN:VEVENT\r\nUID:" + uid + "\r\n")
		stamp("DTSTART", start)
		stamp("DTEND", start.Add(time.Duration(30+15*(i%4))*time.Minute))
		fmt.Fprintf(&b, "SUMMARY:Pipeline review with Partner %06d\r\n", i%5000)
		fmt.Fprintf(&b, "ORGANIZER:mailto:dana.reyes@acmecloud.example\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:lead@p%06d.example\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:sam.okafor@acmecloud.example\r\n", i%5000)
		switch i % 50 {
		case 7:
			b.WriteString("STATUS:CANCELLED\r\n")
		case 17:
			b.WriteString("TRANSP:TRANSPARENT\r\n")
		}
		switch i % 30 {
		case 0:
			b.WriteString("RRULE:FREQ=WEEKLY;BYDAY=TU\r\n")
			stamp("EXDATE", start.AddDate(0, 0, 7))
		case 10:
			b.WriteString("RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=8\r\n")
		case 20:
			b.WriteString("RRULE:FREQ=MONTHLY;BYDAY=-1FR\r\n")
		}
		b.WriteString("END:VEVENT\r\n")
		if i%30 == 0 {
			// A moved occurrence of the weekly sync.
			b.WriteString("BEGIN:VEVENT\r\nUID:" + uid + "\r\nSEQUENCE:1\r\n")
			stamp("RECURRENCE-ID", start.AddDate(0, 0, 14))
			stamp("DTSTART", start.AddDate(0, 0, 15))
			stamp("DTEND", start.AddDate(0, 0, 15).Add(time.Hour))
			b.WriteString("SUMMARY:Moved sync\r\nEND:VEVENT\r\n")
		}
	}
	b.WriteString("END:VCALENDAR\r\n")
	return []byte(b.String())
}

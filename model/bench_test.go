package model_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/config"
	"github.com/partnertiers/partnertiers/store/csvin"
	"github.com/partnertiers/partnertiers/store/sample"
)

// benchNow dates the generated program: its four quarters are 2025-Q4 to
// 2026-Q3.
var benchNow = time.Date(2026, 11, 21, 10, 15, 0, 0, time.UTC)

// generatedProgram is n partners made by the sample generator, with their
// production, read by the importers' parsers and the example config.
type generatedProgram struct {
	prog     *model.Program
	partners []model.Partner
	series   map[string]model.Series
	periods  []model.Period // the four quarters with production
	since    model.Period
}

func generated(b *testing.B, n int) generatedProgram {
	b.Helper()
	cfg, err := config.Load(filepath.Join("..", "config.example.toml"))
	if err != nil {
		b.Fatal(err)
	}
	data := sample.Generate(n, benchNow)
	roster, err := csvin.ParseRoster("roster.csv", data.Roster, cfg.Program)
	if err != nil || len(roster.Bad) > 0 {
		b.Fatal(err, roster.Bad)
	}
	prod, err := csvin.ParseProduction("production.csv", data.Production, cfg.Program, csvin.DefaultProductionColumns())
	if err != nil || len(prod.Bad) > 0 {
		b.Fatal(err, prod.Bad)
	}
	g := generatedProgram{prog: cfg.Program, series: make(map[string]model.Series, n), periods: sample.Periods(benchNow)}
	g.since = g.periods[0]
	for _, r := range roster.Rows {
		g.partners = append(g.partners, model.Partner{
			ID: r.ID, Name: r.Name, Track: r.Track, Manager: r.Manager, Domains: r.Domains,
			Aliases: r.Aliases, Tier: r.Tier, Joined: r.Joined, TierSince: r.TierSince,
		})
	}
	// Rows come partner by partner, oldest period first, as the store
	// hands them to the model.
	var sb model.SeriesBuilder
	for i, r := range prod.Rows {
		sb.Period(r.Period)
		for j, key := range prod.Metrics {
			sb.Value(key, r.Values[j])
		}
		if i+1 == len(prod.Rows) || prod.Rows[i+1].Partner != r.Partner {
			g.series[r.Partner] = sb.Series()
		}
	}
	if len(g.partners) != n || len(g.series) < n*9/10 {
		b.Fatalf("generated %d partners, %d with production; want %d", len(g.partners), len(g.series), n)
	}
	return g
}

// BenchmarkEvaluate100k is DESIGN §10's evaluation target: every one of
// 100k generated partners evaluated for each of its four quarters
// (target 1 s). promoted counts the partners whose last quarter earns
// above their tier, so a broken evaluation shows.
func BenchmarkEvaluate100k(b *testing.B) {
	g := generated(b, 100_000)
	last := g.periods[len(g.periods)-1]
	var promoted int
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		promoted = 0
		for i := range g.partners {
			pa := &g.partners[i]
			for _, q := range g.periods {
				ev := model.Evaluate(g.prog, pa, g.series[pa.ID], q)
				if q == last && g.prog.TierIndex(ev.Earned) > g.prog.TierIndex(pa.Tier) {
					promoted++
				}
			}
		}
	}
	b.StopTimer()
	if promoted == 0 || promoted > len(g.partners)/4 {
		b.Fatalf("%d of %d partners earn above their tier", promoted, len(g.partners))
	}
	b.ReportMetric(float64(promoted), "promoted")
}

// BenchmarkPropose100k is the model's part of starting the review of the
// last quarter at 100k partners: a proposal for every one, the evidence
// and the misses counted back that grace and demotion need.
func BenchmarkPropose100k(b *testing.B) {
	g := generated(b, 100_000)
	last := g.periods[len(g.periods)-1]
	kinds := map[model.MoveKind]int{}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(kinds)
		for i := range g.partners {
			pr := model.Propose(g.prog, &g.partners[i], g.series[g.partners[i].ID], last, g.since)
			kinds[pr.Kind]++
		}
	}
	b.StopTimer()
	for _, k := range model.Kinds {
		if kinds[k] == 0 {
			b.Fatalf("no %s among %v", k, kinds)
		}
		b.ReportMetric(float64(kinds[k]), string(k))
	}
}

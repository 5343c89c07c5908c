package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"

	tea "charm.land/bubbletea/v2"
)

// reviewPeriod is the fixture's default review period: the last complete
// quarter at fixtureNow, which is also the latest with production.
var reviewPeriod = fixturePeriods[len(fixturePeriods)-1]

// reviewOptions are the fixture's options on a fake review store.
func reviewOptions(f *fakeReviews, noColor bool) Options {
	return Options{
		Program:   f.prog,
		Load:      f.Load,
		StorePath: fixtureStorePath,
		Now:       func() time.Time { return fixtureNow },
		NoColor:   noColor,
		Reviews:   f,
		Reviewer:  "dana",
	}
}

// newFake is a fake review store on the fixture, with two more partners
// so that every kind of proposal shows: Meridian Cloud (silver) misses
// Silver for the first time, a grace hold; Nimbus Works joined during the
// quarter, a new-partner hold.
func newFake() *fakeReviews {
	snap := fixtureSnapshot()
	add := func(p model.Partner, prod [4]q) {
		snap.Partners = append(snap.Partners, p)
		series := map[model.Period]map[string]float64{}
		for i, v := range prod {
			series[fixturePeriods[i]] = v.values()
		}
		snap.Production[p.ID] = model.SeriesOf(series)
	}
	add(model.Partner{ID: "meridian-cloud", Name: "Meridian Cloud", Track: "reseller", Manager: "Sam Okafor",
		Domains: []string{"meridian.example"}, Tier: "silver", TierSince: date("2024-04-02"), Joined: date("2022-01-10")},
		[4]q{{60000, 20000, 3, 3, 3, 90}, {60000, 20000, 3, 3, 3, 90}, {60000, 20000, 3, 3, 3, 95}, {20000, 0, 1, 1, 1, 95}})
	add(model.Partner{ID: "nimbus-works", Name: "Nimbus Works", Track: "isv", Manager: "Dana Reyes",
		Domains: []string{"nimbus.example"}, Tier: "registered", TierSince: date("2026-05-04"), Joined: date("2026-05-04")},
		[4]q{{}, {}, {}, {10000, 0, 0, 1, 0, 20}})
	slices.SortFunc(snap.Partners, func(a, b model.Partner) int { return strings.Compare(a.Name, b.Name) })
	return newFakeReviews(fixtureProgram(), snap)
}

// newReviewApp is the app loaded on f, at a size, on the Review tab.
func newReviewApp(t testing.TB, f *fakeReviews, w, h int, noColor bool) *App {
	t.Helper()
	return loadedApp(t, reviewOptions(f, noColor), w, h, "2")
}

func reviewOf(a *App) *reviewScreen { return screenOf[*reviewScreen](a) }
func healthOf(a *App) *healthScreen { return screenOf[*healthScreen](a) }

func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

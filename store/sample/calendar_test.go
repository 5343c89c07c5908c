package sample

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/ics"
)

// TestCalendarStory parses the sample calendar with the real importer and
// counts last week the way align does: the exclusions hold, the moved and
// excepted instances are right, and Vocalis Partners out-talks every Gold
// partner.
func TestCalendarStory(t *testing.T) {
	ny, _ := time.LoadLocation(CalendarZone)
	prog := loadProgram(t)
	for _, today := range todays {
		t.Run(today.Format(time.DateOnly), func(t *testing.T) {
			partners := parseRoster(t, mustFiles(t, today).Roster)
			res, err := ics.Parse(CalendarFile, Calendar(today), ics.Options{From: today.AddDate(0, 0, -60), To: today.AddDate(0, 0, 14), Zone: ny})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Warnings) > 0 {
				t.Errorf("warnings: %v", res.Warnings)
			}
			// The cases the sample exists to carry: a Windows zone name,
			// and a weekly series with one week excepted and one moved.
			if !strings.Contains(string(Calendar(today)), "TZID=Eastern Standard Time") {
				t.Error("the Outlook meeting lost its Windows zone name")
			}
			week := model.LastWeek(today, ny)
			syncs := map[model.Week]int{}
			for _, m := range res.Meetings {
				if strings.HasPrefix(m.Summary, "Bluefjord weekly pipeline sync") {
					syncs[model.WeekOf(m.Start, ny)]++
				}
			}
			if syncs[week.Step(-1)] != 0 || syncs[week.Step(-2)] != 1 || syncs[week] != 1 {
				t.Errorf("sync weeks = %v: want none the week before last (excepted), one last week (moved), one the week before", syncs)
			}
			for _, m := range res.Meetings {
				if m.UID == "bluefjord-weekly@acmecloud.example" && model.WeekOf(m.Start, ny) == week && m.Start.In(ny).Weekday() != time.Wednesday {
					t.Errorf("last week's sync is on %s, want the moved Wednesday", m.Start.In(ny).Weekday())
				}
			}
			wh := model.CountWeek(res.Meetings, week, ny, "dana.reyes@acmecloud.example",
				model.NewMatcher(partners, []string{"acmecloud.example"}))
			want := map[string]float64{
				"vocalis-partners":       8,   // 1.5+1+1.5+1.5+1+1.5
				"bluefjord-consulting":   1,   // the moved instance, once
				"meridian-systems-group": 1.5, // Outlook, Windows zone name
				"canopy-logic":           1,
				"brightpath-analytics":   0.5, // by name in the summary
				"kestrel-integration":    0.5, // a joint meeting, split
				"alderbrook-systems":     0.5,
			}
			for id, h := range want {
				if math.Abs(wh.Hours[id]-h) > 1e-9 {
					t.Errorf("%s: %v h, want %v", id, wh.Hours[id], h)
				}
			}
			for _, id := range []string{"tidewater-digital", "quarry-lane-partners", "northwind-global"} {
				if wh.Hours[id] != 0 {
					t.Errorf("%s: %v h from a cancelled, declined or all-day meeting", id, wh.Hours[id])
				}
			}
			if len(wh.Unmatched) != 1 || !strings.Contains(wh.Unmatched[0].Meeting.Summary, "Denver") {
				t.Errorf("unmatched = %+v, want the Denver intro call", wh.Unmatched)
			}
			a := model.Align(prog, partners, wh.Hours)
			if len(a.Over) == 0 || a.Over[0].ID != "vocalis-partners" {
				t.Errorf("most over-served = %+v, want Vocalis Partners", a.Over)
			}
			for _, ph := range a.Partners {
				if ph.Tier == "gold" && ph.Hours >= wh.Hours["vocalis-partners"] {
					t.Errorf("gold %s has %v h, not fewer than Vocalis", ph.ID, ph.Hours)
				}
			}
			if a.Score >= 70 { // config.example.toml's min_alignment_score
				t.Errorf("score %.0f: the sample's drift should fall under the minimum 70", a.Score)
			}
		})
	}
}

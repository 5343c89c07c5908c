package model

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func calendarPartners() []Partner {
	return []Partner{
		{ID: "northwind", Name: "Northwind Global", Tier: "gold", Manager: "Dana", Domains: []string{"northwind.example"}, Aliases: []string{"NWG"}},
		{ID: "brightpath", Name: "Brightpath Analytics", Tier: "registered", Manager: "Sam", Domains: []string{"brightpath.example"}},
		{ID: "acme", Name: "Acme", Tier: "silver", Manager: "Dana"},
		{ID: "gone", Name: "Gone Ltd", Tier: "silver", Domains: []string{"gone.example"}, Exited: true},
	}
}

// at is a time in week 2026-W46 (9–15 November) in UTC: day 0 is Monday.
func at(day int, hhmm string) time.Time {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		panic(err)
	}
	return time.Date(2026, 11, 9+day, t.Hour(), t.Minute(), 0, 0, time.UTC)
}

func meeting(uid string, from, to time.Time, summary string, attendees ...string) Meeting {
	m := Meeting{UID: uid, Start: from, End: to, Summary: summary}
	for _, a := range attendees {
		email, stat, _ := strings.Cut(a, ":")
		m.Attendees = append(m.Attendees, Attendee{Email: email, PartStat: strings.ToUpper(cmpOr(stat, "accepted"))})
	}
	return m
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

const owner = "dana@acme-cloud.example"

func TestCountWeek(t *testing.T) {
	m := NewMatcher(calendarPartners(), []string{"acme-cloud.example"})
	cancelled := meeting("c", at(2, "10:00"), at(2, "11:00"), "Sync", "x@northwind.example")
	cancelled.Status = "CANCELLED"
	free := meeting("f", at(2, "12:00"), at(2, "13:00"), "Hold for Northwind")
	free.Transparent = true
	allDay := meeting("d", at(3, "00:00"), at(4, "00:00"), "Northwind offsite")
	allDay.AllDay = true
	v1 := meeting("v", at(4, "09:00"), at(4, "10:00"), "QBR", "x@northwind.example")
	v2 := v1
	v2.Sequence, v2.End = 2, at(4, "11:00")

	tests := []struct {
		name      string
		meetings  []Meeting
		want      map[string]float64
		unmatched string // summaries, comma-separated
	}{
		{"by attendee domain", []Meeting{meeting("1", at(0, "10:00"), at(0, "11:30"), "Pipeline review", "pm@northwind.example", owner)},
			map[string]float64{"northwind": 1.5}, ""},
		{"a subdomain counts", []Meeting{meeting("1", at(0, "10:00"), at(0, "11:00"), "x", "pm@eu.northwind.example")},
			map[string]float64{"northwind": 1}, ""},
		{"by name or alias as whole words", []Meeting{
			meeting("1", at(0, "10:00"), at(0, "11:00"), "Prep: NWG renewal", owner),
			meeting("2", at(1, "10:00"), at(1, "10:30"), "Acme internal standup", owner),
			meeting("3", at(1, "11:00"), at(1, "12:00"), "Acmeology training", owner)},
			map[string]float64{"northwind": 1, "acme": 0.5}, ""},
		{"split evenly between partners", []Meeting{meeting("1", at(0, "10:00"), at(0, "12:00"), "Joint", "a@northwind.example", "b@brightpath.example")},
			map[string]float64{"northwind": 1, "brightpath": 1}, ""},
		{"overlap with the same partner counts once", []Meeting{
			meeting("1", at(0, "10:00"), at(0, "12:00"), "A", "a@northwind.example"),
			meeting("2", at(0, "11:00"), at(0, "13:00"), "B", "b@northwind.example")},
			map[string]float64{"northwind": 3}, ""},
		{"clipped at the week's edges", []Meeting{
			meeting("1", at(-1, "23:00"), at(0, "01:00"), "Late", "a@northwind.example"),
			meeting("2", at(6, "23:30"), at(7, "02:00"), "Later", "a@northwind.example")},
			map[string]float64{"northwind": 1.5}, ""},
		{"excluded: cancelled, free, all-day, declined by the owner", []Meeting{cancelled, free, allDay,
			meeting("x", at(2, "15:00"), at(2, "16:00"), "Declined", "a@northwind.example", owner+":declined")},
			map[string]float64{}, ""},
		{"declined by someone else still counts", []Meeting{meeting("x", at(2, "15:00"), at(2, "16:00"), "x", "a@northwind.example:declined", owner)},
			map[string]float64{"northwind": 1}, ""},
		{"the highest sequence wins", []Meeting{v1, v2}, map[string]float64{"northwind": 2}, ""},
		{"exited partners are not matched", []Meeting{meeting("1", at(0, "10:00"), at(0, "11:00"), "Exit call", "x@gone.example")},
			map[string]float64{}, "Exit call"},
		{"internal-only meetings are ignored, others unmatched", []Meeting{
			meeting("1", at(0, "10:00"), at(0, "11:00"), "Team standup", owner, "sam@acme-cloud.example"),
			meeting("2", at(0, "14:00"), at(0, "15:00"), "Intro call", "someone@unknown.example", owner)},
			map[string]float64{}, "Intro call"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CountWeek(tt.meetings, MustWeek("2026-W46"), time.UTC, owner, m)
			for id, h := range tt.want {
				if math.Abs(got.Hours[id]-h) > 1e-9 {
					t.Errorf("%s: %v h, want %v", id, got.Hours[id], h)
				}
			}
			for id, h := range got.Hours {
				if _, ok := tt.want[id]; !ok && h != 0 {
					t.Errorf("%s: %v h, want none", id, h)
				}
			}
			var un []string
			for _, u := range got.Unmatched {
				un = append(un, u.Meeting.Summary)
			}
			if s := strings.Join(un, ","); s != tt.unmatched {
				t.Errorf("unmatched = %q, want %q", s, tt.unmatched)
			}
		})
	}
}

func TestCountWeekAcrossDST(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	m := NewMatcher(calendarPartners(), nil)
	// 2026-W44 in New York runs 26 October to 1 November, when clocks
	// fall back: 169 hours. A meeting over the whole week counts them all.
	w := MustWeek("2026-W44")
	all := meeting("1", w.Start(ny).Add(-time.Hour), w.End(ny).Add(time.Hour), "Northwind Global war room")
	got := CountWeek([]Meeting{all}, w, ny, "", m)
	if got.Hours["northwind"] != 169 {
		t.Errorf("a meeting over the DST week counts %v h, want 169", got.Hours["northwind"])
	}
}

func TestAlign(t *testing.T) {
	p := testProgram() // hours: registered 0.25, silver 1, gold 3
	p.Managers = []Manager{{Name: "Dana", CapacityHours: 10}, {Name: "Sam", CapacityHours: 5}}
	partners := calendarPartners()
	a := Align(p, partners, map[string]float64{"northwind": 0.5, "brightpath": 4, "acme": 1})
	// Planned: gold 3, silver 1, registered 0.25 of 4.25. Actual: 0.5, 1, 4 of 5.5.
	wantScore := 100 * (1 - (math.Abs(0.5/5.5-3/4.25)+math.Abs(1/5.5-1/4.25)+math.Abs(4/5.5-0.25/4.25))/2)
	if math.Abs(a.Score-wantScore) > 1e-9 || !a.HasHours {
		t.Errorf("score = %v, want %v", a.Score, wantScore)
	}
	if a.Tiers[0].Tier != "gold" || a.Tiers[0].Allocated != 3 || a.Tiers[0].Actual != 0.5 || a.Tiers[2].Partners != 1 {
		t.Errorf("tiers = %+v", a.Tiers)
	}
	if len(a.Over) != 1 || a.Over[0].ID != "brightpath" {
		t.Errorf("over-served = %+v, want brightpath", a.Over)
	}
	if len(a.Under) != 1 || a.Under[0].ID != "northwind" {
		t.Errorf("under-served = %+v, want northwind", a.Under)
	}
	if a.Managers[0].Promised != 4 || a.Managers[0].Actual != 1.5 || a.Managers[1].Promised != 0.25 {
		t.Errorf("managers = %+v", a.Managers)
	}
	if len(a.Partners) != 3 || a.Partners[0].ID != "brightpath" {
		t.Errorf("partners = %+v (exited left out, most hours first)", a.Partners)
	}

	// Time shared exactly as planned scores 100; no time scores 0.
	exact := Align(p, partners, map[string]float64{"northwind": 3, "acme": 1, "brightpath": 0.25})
	if math.Abs(exact.Score-100) > 1e-9 {
		t.Errorf("exact score = %v, want 100", exact.Score)
	}
	if none := Align(p, partners, nil); none.HasHours || none.Score != 0 {
		t.Errorf("no hours: %+v", none)
	}
}

func TestCountWeekMeetings(t *testing.T) {
	m := NewMatcher(calendarPartners(), []string{"acme-cloud.example"})
	cancelled := meeting("c", at(2, "10:00"), at(2, "11:00"), "x", "a@northwind.example")
	cancelled.Status = "CANCELLED"
	got := CountWeek([]Meeting{
		meeting("1", at(0, "10:00"), at(0, "12:00"), "A", "a@northwind.example"),
		meeting("2", at(0, "11:00"), at(0, "13:00"), "B", "b@northwind.example", "c@brightpath.example"),
		cancelled,
	}, MustWeek("2026-W46"), time.UTC, owner, m)
	if got.Meetings["northwind"] != 2 || got.Meetings["brightpath"] != 1 {
		t.Errorf("meetings = %v, want northwind 2 (the cancelled one left out), brightpath 1", got.Meetings)
	}
}

func TestExternalDomain(t *testing.T) {
	internal := []string{" AcmeCloud.example "}
	tests := []struct {
		name   string
		emails []string
		want   string
	}{
		{"first outside the team", []string{"dana@acmecloud.example", "Kim@Partner.Example", "x@other.example"}, "partner.example"},
		{"a subdomain of the team is the team", []string{"ops@eu.acmecloud.example", "a@b.example"}, "b.example"},
		{"everyone on the team", []string{"dana@acmecloud.example"}, ""},
		{"no address", []string{"not-an-email", ""}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Meeting
			for _, e := range tt.emails {
				m.Attendees = append(m.Attendees, Attendee{Email: e})
			}
			if got := m.ExternalDomain(internal); got != tt.want {
				t.Errorf("ExternalDomain = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCountWeekAttended: each partner's meetings that counted are listed,
// oldest first, clipped to the week, with how many partners shared them.
func TestCountWeekAttended(t *testing.T) {
	m := NewMatcher(calendarPartners(), []string{"acme-cloud.example"})
	ms := []Meeting{
		meeting("b", at(3, "10:00"), at(3, "11:30"), "Joint pitch", owner, "x@northwind.example", "y@brightpath.example"),
		meeting("a", at(2, "09:00"), at(2, "10:00"), "Northwind sync", owner, "x@northwind.example"),
		meeting("c", at(2, "12:00"), at(2, "13:00"), "Free hold", owner, "x@northwind.example"),
	}
	ms[2].Transparent = true // does not count: not listed either
	got := CountWeek(ms, MustWeek("2026-W46"), time.UTC, owner, m).Attended["northwind"]
	want := []Attended{
		{Start: at(2, "09:00"), Summary: "Northwind sync", Hours: 1, Sharing: 1},
		{Start: at(3, "10:00"), Summary: "Joint pitch", Hours: 1.5, Sharing: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("attended = %+v\nwant %+v", got, want)
	}
}

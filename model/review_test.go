package model

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// reviewFixture: one promotion, one demotion, one grace hold, one hold.
func reviewFixture() (*Program, []Partner, map[string]Series) {
	q1, q2, q3 := MustPeriod("2026-Q1"), MustPeriod("2026-Q2"), MustPeriod("2026-Q3")
	old := day("2023-01-01")
	partners := []Partner{
		{ID: "up", Name: "Uplift", Track: "reseller", Tier: "registered", Joined: old},
		{ID: "down", Name: "Downhill", Track: "reseller", Tier: "gold", Joined: old},
		{ID: "grace", Name: "Gracie", Track: "reseller", Tier: "silver", Joined: old},
		{ID: "steady", Name: "Steady", Track: "reseller", Tier: "silver", Joined: old},
		{ID: "gone", Name: "Gone", Track: "reseller", Tier: "gold", Joined: old, Exited: true},
	}
	prod := map[string]Series{
		"up":     SeriesOf(byPeriod{q2: goldQ, q3: goldQ}),
		"down":   SeriesOf(byPeriod{q1: noneQ, q2: noneQ, q3: noneQ}),
		"grace":  SeriesOf(byPeriod{q1: silverQ, q2: silverQ, q3: noneQ}),
		"steady": SeriesOf(byPeriod{q2: silverQ, q3: silverQ}),
	}
	return testProgram(), partners, prod
}

func TestReviewDecisionsAndFinalize(t *testing.T) {
	p, partners, prod := reviewFixture()
	at := day("2026-10-05")
	r := StartReview(p, partners, prod, MustPeriod("2026-Q3"), "dana", at)

	var order []string
	for _, pr := range r.Proposals {
		order = append(order, pr.Partner+":"+string(pr.Kind))
	}
	if got := strings.Join(order, " "); got != "up:promote down:demote grace:grace steady:hold" {
		t.Fatalf("proposals = %s (exited partners are left out; order promote, demote, grace, hold)", got)
	}
	if d, n := r.Progress(); d != 0 || n != 2 {
		t.Fatalf("progress = %d/%d, want 0/2", d, n)
	}

	byID := map[string]Partner{}
	for _, pa := range partners {
		byID[pa.ID] = pa
	}
	if _, _, err := r.Finalize(p, lookup(byID), "dana", at); !errors.Is(err, ErrUndecided) || !strings.Contains(err.Error(), "Uplift") {
		t.Fatalf("finalize with undecided moves: err = %v", err)
	}
	if r.Status != ReviewOpen {
		t.Fatal("a refused finalize must change nothing")
	}

	if _, err := r.Override(p, "down", "gold", "   ", "dana", at); !errors.Is(err, ErrBlankReason) {
		t.Fatalf("blank reason: err = %v", err)
	}
	if r.Decision("down").Kind != Pending {
		t.Fatal("a refused override must save nothing")
	}
	if _, err := r.Override(p, "down", "platinum", "x", "dana", at); !errors.Is(err, ErrUnknownTier) {
		t.Fatalf("unknown tier: err = %v", err)
	}
	if _, err := r.Accept("nobody", "dana", at); !errors.Is(err, ErrNotInReview) {
		t.Fatalf("unknown partner: err = %v", err)
	}

	if _, err := r.Accept("up", "dana", at); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Override(p, "down", "Gold", "renewal of a 3-year strategic deal closes in Q4", "sam", at); err != nil {
		t.Fatal(err)
	}
	pr, _ := r.Proposal("down")
	if !r.Upward(p, pr) {
		t.Error("keeping gold on registered production is an upward override")
	}
	if err := r.Undo("up"); err != nil {
		t.Fatal(err)
	}
	if err := r.Undo("up"); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("second undo: err = %v", err)
	}
	if d, n := r.Progress(); d != 1 || n != 2 {
		t.Fatalf("progress after undo = %d/%d, want 1/2", d, n)
	}
	if _, err := r.Accept("up", "dana", at); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Override(p, "grace", "registered", "partner asked to step down", "dana", at); err != nil {
		t.Fatal(err)
	}

	changed, history, err := r.Finalize(p, lookup(byID), "dana", at)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != ReviewFinalized {
		t.Error("finalize should close the review")
	}
	got := map[string]string{}
	for _, c := range changed {
		got[c.ID] = c.Tier
		if !c.TierSince.Equal(at) {
			t.Errorf("%s tier since = %v, want %v", c.ID, c.TierSince, at)
		}
	}
	if len(got) != 2 || got["up"] != "gold" || got["grace"] != "registered" {
		t.Errorf("changed = %v, want up→gold and grace→registered (down kept gold, steady held)", got)
	}
	if len(history) != 2 {
		t.Fatalf("history = %+v, want 2 entries", history)
	}
	for _, h := range history {
		switch h.Partner {
		case "up":
			if h.Kind != Promote || h.Override || !strings.Contains(h.Reason, "Earned Gold") || h.By != "dana" {
				t.Errorf("promotion history = %+v", h)
			}
		case "grace":
			if h.Kind != Demote || !h.Override || h.Reason != "partner asked to step down" || h.From != "silver" {
				t.Errorf("override history = %+v", h)
			}
		}
	}

	s := r.Summary(p)
	if s.Promotions != 1 || s.Demotions != 1 || s.Overrides != 2 || s.OverridesUp != 1 || s.OverridesDown != 1 {
		t.Errorf("summary = %+v", s)
	}
	if s.Before["gold"] != 1 || s.After["gold"] != 2 || s.After["registered"] != 1 || s.After["silver"] != 1 {
		t.Errorf("distribution before %v after %v", s.Before, s.After)
	}

	if _, err := r.Accept("up", "dana", at); !errors.Is(err, ErrFinalized) {
		t.Errorf("a finalized review is read-only: err = %v", err)
	}
	if _, _, err := r.Finalize(p, lookup(byID), "dana", at); !errors.Is(err, ErrFinalized) {
		t.Errorf("finalize twice: err = %v", err)
	}
}

func TestHealth(t *testing.T) {
	now := day("2026-11-21")
	base := func() HealthInput {
		p, partners, _ := reviewFixture()
		p.TopTierMaxShare = 0.5
		p.Managers = []Manager{{Name: "Dana", CapacityHours: 40}}
		return HealthInput{
			Program: p, Partners: partners, Now: now,
			History: []History{
				{Partner: "down", From: "silver", To: "gold", Period: MustPeriod("2026-Q2"), At: day("2026-07-10")},
				{Partner: "steady", From: "gold", To: "silver", Period: MustPeriod("2026-Q3"), At: day("2026-10-10")},
			},
		}
	}
	tests := []struct {
		name   string
		mutate func(in *HealthInput)
		check  string
		want   Severity
		says   string
	}{
		{"healthy program", func(in *HealthInput) {}, "ratchet", OK, "1 demotion and 1 promotion in the last twelve months"},
		{"ratchet: promotions only", func(in *HealthInput) { in.History = in.History[:1] }, "ratchet", Error, "no demotion in the last twelve months"},
		{"ratchet: an old demotion does not count", func(in *HealthInput) { in.History[1].At = day("2025-06-01") }, "ratchet", Error, "tiers only ratchet up"},
		{"calendar not imported", func(in *HealthInput) {}, "alignment", OK, "no partner time on the calendar"},
		{"calendar off the tiers", func(in *HealthInput) {
			in.Program.MinAlignment = 70
			a := Align(in.Program, in.Partners, map[string]float64{"up": 6, "down": 0.5})
			in.Alignment, in.Week = &a, MustWeek("2026-W46")
		}, "alignment", Warning, "2026-W46 scores"},
		{"a tier the config lost", func(in *HealthInput) { in.Partners[1].Tier = "platinum" }, "unknown-tier", Error, `Downhill ("platinum")`},
		{"five tiers", func(in *HealthInput) {
			for i := 4; i <= 5; i++ {
				in.Program.Tiers = append(in.Program.Tiers, Tier{Key: "t" + string(rune('0'+i)), Name: "T", Rank: i + 10, Allocation: Allocation{HoursPerWeek: float64(10 * i)}})
			}
		}, "tier-count", Error, "5 tiers"},
		{"a label, not a tier", func(in *HealthInput) { in.Program.Tiers[1].Allocation = in.Program.Tiers[0].Allocation }, "allocation", Warning, "Silver buys nothing more than Registered"},
		{"size metric in criteria", func(in *HealthInput) {
			in.Program.Tiers[2].Criteria.All = append(in.Program.Tiers[2].Criteria.All, Criterion{"employees", 1000})
		}, "size-metric", Error, "Gold requires employees"},
		{"review reviewed", func(in *HealthInput) {}, "overdue", OK, "2026-Q3 is reviewed"},
		{"review overdue", func(in *HealthInput) { in.History = in.History[:1] }, "overdue", Warning, "2026-Q3 ended 51 days ago"},
		{"two periods behind", func(in *HealthInput) { in.History = nil; in.Now = day("2027-02-15") }, "overdue", Warning, "no review on record"},
		{"review due but not late", func(in *HealthInput) { in.History = in.History[:1]; in.Now = day("2026-10-20") }, "overdue", OK, "due by"},
		{"top tier crowded", func(in *HealthInput) { in.Program.TopTierMaxShare = 0.2 }, "top-tier", Warning, "Gold holds 1 of 4 partners"},
		{"capacity short", func(in *HealthInput) { in.Program.Managers[0].CapacityHours = 3 }, "capacity", Warning, "tiers promise 5.3 h/wk"},
		{"overrides mostly upward", func(in *HealthInput) {
			p, partners, prod := reviewFixture()
			r := StartReview(p, partners, prod, MustPeriod("2026-Q3"), "d", now)
			r.Override(p, "down", "gold", "strategic", "d", now)
			r.Override(p, "grace", "gold", "strategic", "d", now)
			r.Accept("up", "d", now)
			byID := map[string]Partner{}
			for _, pa := range partners {
				byID[pa.ID] = pa
			}
			if _, _, err := r.Finalize(p, lookup(byID), "d", now); err != nil {
				panic(err)
			}
			in.Reviews = []*Review{r}
		}, "overrides", Warning, "2 overrides, 2 up"},
		{"an open review is not judged yet", func(in *HealthInput) {
			p, partners, prod := reviewFixture()
			r := StartReview(p, partners, prod, MustPeriod("2026-Q3"), "d", now)
			r.Override(p, "down", "gold", "strategic", "d", now)
			r.Override(p, "grace", "gold", "strategic", "d", now)
			in.Reviews = []*Review{r}
		}, "overrides", OK, "no finalized review yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.mutate(&in)
			fs := Health(in)
			for i := 1; i < len(fs); i++ {
				if fs[i].Severity > fs[i-1].Severity {
					t.Fatal("findings must come worst first")
				}
			}
			for _, f := range fs {
				if f.Check != tt.check {
					continue
				}
				if f.Severity != tt.want || !strings.Contains(f.Detail, tt.says) {
					t.Errorf("%s = %s %q, want %s saying %q", f.Check, f.Severity, f.Detail, tt.want, tt.says)
				}
				if (f.Severity != OK) != (f.Fix != "") {
					t.Errorf("a failing check names its fix, a passing one none: %+v", f)
				}
				return
			}
			t.Fatalf("no finding for %s", tt.check)
		})
	}
}

func TestReviewRefusesSameTierAndStaleTiers(t *testing.T) {
	p, partners, prod := reviewFixture()
	at := day("2026-10-05")
	r := StartReview(p, partners, prod, MustPeriod("2026-Q3"), "dana", at)
	if _, err := r.Override(p, "up", "gold", "because", "dana", at); !errors.Is(err, ErrSameTier) {
		t.Errorf("override to the proposed tier: err = %v", err)
	}
	if _, err := r.Override(p, "steady", "silver", "because", "dana", at); !errors.Is(err, ErrSameTier) {
		t.Errorf("override of a hold to its own tier: err = %v", err)
	}
	r.Accept("up", "dana", at)
	r.Accept("down", "dana", at)
	byID := map[string]Partner{}
	for _, pa := range partners {
		byID[pa.ID] = pa
	}
	moved := byID["down"]
	moved.Tier = "silver" // a roster import since the review started
	byID["down"] = moved
	if _, _, err := r.Finalize(p, lookup(byID), "dana", at); !errors.Is(err, ErrStale) || !strings.Contains(err.Error(), "Downhill (Gold, now Silver)") {
		t.Fatalf("finalize on a changed tier: err = %v", err)
	}
	if r.Status != ReviewOpen {
		t.Error("a refused finalize must change nothing")
	}
}

func TestCheckReviewPeriod(t *testing.T) {
	p := testProgram()
	now := day("2026-11-21")
	done := &Review{Period: MustPeriod("2026-Q1"), Status: ReviewFinalized}
	open := &Review{Period: MustPeriod("2026-Q3"), Status: ReviewOpen}
	// Moves of a 2026-Q2 review made before this tool, imported; a roster
	// import's tier change in 2026-Q3 is not a review.
	history := []History{
		{Partner: "a", From: "silver", To: "gold", Period: MustPeriod("2026-Q2"), Kind: Promote},
		{Partner: "b", From: "silver", To: "gold", Period: MustPeriod("2026-Q3"), Kind: Set},
	}
	tests := []struct {
		period  string
		history []History
		says    string // empty: allowed
	}{
		{"2026-Q3", history, ""},
		{"2026-Q4", history, "2026-Q4 has not ended; the last complete period is 2026-Q3"},
		{"2030-Q1", history, "has not ended"},
		{"2026-Q2", history, "2026-Q2 is already reviewed"},
		{"2026-Q2", nil, ""},
		{"2026-Q1", nil, "2026-Q1 is already reviewed"},
		{"2025-Q4", history, "only a later period can be reviewed"},
		{"2026-H1", history, "does not fit the quarterly cadence"},
	}
	for _, tt := range tests {
		err := CheckReviewPeriod(p, MustPeriod(tt.period), now, []*Review{done, open}, tt.history)
		switch {
		case tt.says == "" && err != nil:
			t.Errorf("%s: %v", tt.period, err)
		case tt.says != "" && (!errors.Is(err, ErrPeriod) || !strings.Contains(err.Error(), tt.says)):
			t.Errorf("%s: err = %v, want %q", tt.period, err, tt.says)
		}
	}
}

// TestSummaryCountUncount keeps a summary current one decision at a time,
// as the app does: after each change it equals the summary counted afresh.
func TestSummaryCountUncount(t *testing.T) {
	p, partners, prod := reviewFixture()
	at := day("2026-10-05")
	r := StartReview(p, partners, prod, MustPeriod("2026-Q3"), "dana", at)
	var s ReviewSummary
	for _, pr := range r.Proposals {
		s.Count(p, pr, Decision{}, false)
	}
	steps := []struct {
		partner string
		decide  func() error
	}{
		{"up", func() error { _, err := r.Accept("up", "dana", at); return err }},
		{"down", func() error { _, err := r.Override(p, "down", "gold", "renewal", "dana", at); return err }},
		{"steady", func() error { _, err := r.Override(p, "steady", "registered", "slipping", "dana", at); return err }},
		{"down", func() error { _, err := r.Override(p, "down", "registered", "two steps", "dana", at); return err }},
		{"up", func() error { return r.Undo("up") }},
		{"grace", func() error { _, err := r.Override(p, "grace", "gold", "strategic", "dana", at); return err }},
	}
	for i, st := range steps {
		pr, _ := r.Proposal(st.partner)
		old, had := r.Decisions[st.partner]
		if err := st.decide(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		now, has := r.Decisions[st.partner]
		s.Uncount(p, pr, old, had)
		s.Count(p, pr, now, has)
		if want := r.Summary(p); !reflect.DeepEqual(s, want) {
			t.Fatalf("step %d: kept current %+v, counted afresh %+v", i, s, want)
		}
	}
}

// TestOneMeaningOfUpward: the summary counts an override as up exactly
// when the review marks it upward: above the earned tier, whatever the
// proposal was.
func TestOneMeaningOfUpward(t *testing.T) {
	p, partners, prod := reviewFixture()
	q1, q2, q3 := MustPeriod("2026-Q1"), MustPeriod("2026-Q2"), MustPeriod("2026-Q3")
	// A Gold partner on grace that earns Registered, set to Silver: below
	// the proposal (hold Gold), above what it earns.
	partners = append(partners, Partner{ID: "held", Name: "Held Gold", Track: "reseller", Tier: "gold", Joined: day("2023-01-01")})
	prod["held"] = SeriesOf(byPeriod{q1: goldQ, q2: goldQ, q3: noneQ})
	at := day("2026-10-05")
	r := StartReview(p, partners, prod, q3, "dana", at)
	pr, _ := r.Proposal("held")
	if pr.Kind != Grace || pr.Earned != "registered" {
		t.Fatalf("fixture: %s earning %s", pr.Kind, pr.Earned)
	}
	if _, err := r.Override(p, "held", "silver", "steps down by agreement", "dana", at); err != nil {
		t.Fatal(err)
	}
	if !r.Upward(p, pr) {
		t.Fatal("Silver is above the Registered it earns: upward")
	}
	if s := r.Summary(p); s.OverridesUp != 1 || s.OverridesDown != 0 {
		t.Errorf("summary %d up, %d down; the review marks it upward", s.OverridesUp, s.OverridesDown)
	}
}

func TestLostTierIsNoMove(t *testing.T) {
	p := testProgram()
	h := History{Partner: "x", From: "platinum", To: "registered"}
	if d := h.Direction(p); d != 0 {
		t.Errorf("platinum → registered counts as %+d; a tier the program lost is no move", d)
	}
}

func TestGapRoundsUp(t *testing.T) {
	p := testProgram()
	q3 := MustPeriod("2026-Q3")
	ev := Evaluate(p, &Partner{ID: "x", Track: "reseller", Tier: "registered"},
		SeriesOf(byPeriod{q3: map[string]float64{"pipeline": 99999.7, "reps": 2, "deals": 4}}), q3)
	c, _ := ev.Check("silver")
	if got := GapSentence(p, c); got != "needs $1 more sourced pipeline for Silver" {
		t.Errorf("GapSentence = %q", got)
	}
}

// lookup looks partners up in a map, as Finalize asks for them.
func lookup(byID map[string]Partner) func(string) (Partner, bool) {
	return func(id string) (Partner, bool) {
		pa, ok := byID[id]
		return pa, ok
	}
}

// TestSortProposals: whatever order proposals come in, they end in review
// order: kind, name ignoring case, id.
func TestSortProposals(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"acme", "Acme", "beta", "Zeta", "zeta", "Mid"}
	for n := range 60 {
		prs := make([]Proposal, n)
		for i := range prs {
			prs[i] = Proposal{Partner: fmt.Sprintf("p%03d", rng.IntN(1000)), Name: names[rng.IntN(len(names))], Kind: Kinds[rng.IntN(len(Kinds))]}
		}
		want := slices.Clone(prs)
		slices.SortStableFunc(want, func(a, b Proposal) int {
			return cmp.Or(cmp.Compare(slices.Index(Kinds, a.Kind), slices.Index(Kinds, b.Kind)),
				cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Partner, b.Partner))
		})
		SortProposals(prs)
		if !slices.Equal(prs, want) {
			t.Fatalf("%d proposals:\n%v\nwant\n%v", n, prs, want)
		}
	}
}

package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Severity ranks a health finding.
type Severity int

const (
	OK Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "ok"
}

// Finding is the result of one health check.
type Finding struct {
	Check    string // stable id: "ratchet", "overdue", ...
	Severity Severity
	Title    string // what the check looks at
	Detail   string // what it found
	Fix      string // what to do; empty when OK
}

// HealthInput is what the checks look at.
type HealthInput struct {
	Program  *Program
	Partners []Partner
	History  []History
	// Reviews are every review in the store, any order.
	Reviews []*Review
	Now     time.Time
	// Alignment is last week's calendar against the tiers; nil when the
	// store holds no calendar.
	Alignment *Alignment
	Week      Week
}

// overdueAfter is how long past a period's end its review may wait.
const overdueAfter = 30 * 24 * time.Hour

// Health runs every check and returns the findings worst first.
func Health(in HealthInput) []Finding {
	checks := []func(HealthInput) Finding{
		checkTierCount, checkAllocationLadder, checkSizeMetrics, checkUnknownTiers, checkRatchet,
		checkOverdue, checkTopTierCrowded, checkOverridesUpward, checkCapacity, checkAlignment,
	}
	out := make([]Finding, 0, len(checks))
	for _, c := range checks {
		out = append(out, c(in))
	}
	slices.SortStableFunc(out, func(a, b Finding) int { return cmp.Compare(b.Severity, a.Severity) })
	return out
}

// Worst is the highest severity among findings.
func Worst(fs []Finding) Severity {
	w := OK
	for _, f := range fs {
		w = max(w, f.Severity)
	}
	return w
}

func checkTierCount(in HealthInput) Finding {
	f := Finding{Check: "tier-count", Title: "Few tiers"}
	n := len(in.Program.Tiers)
	f.Detail = fmt.Sprintf("%d tiers", n)
	if n > 4 {
		f.Severity = Error
		f.Detail = fmt.Sprintf("%d tiers: beyond four, the steps stop meaning anything to partners or to the team", n)
		f.Fix = "merge tiers until there are three, four at most"
	}
	return f
}

func checkAllocationLadder(in HealthInput) Finding {
	f := Finding{Check: "allocation", Title: "Every tier buys more than the one below"}
	var labels []string
	for i := 1; i < len(in.Program.Tiers); i++ {
		lo, hi := in.Program.Tiers[i-1], in.Program.Tiers[i]
		if !betterAllocation(hi.Allocation, lo.Allocation) {
			labels = append(labels, fmt.Sprintf("%s buys nothing more than %s", hi.Name, lo.Name))
		}
	}
	if len(labels) == 0 {
		f.Detail = "each step up adds hours, MDF, priority or margin"
		return f
	}
	f.Severity = Warning
	f.Detail = strings.Join(labels, "; ") + ": a label, not a tier"
	f.Fix = "give the higher tier more manager hours, MDF, deal-registration priority or margin, or merge the two"
	return f
}

func betterAllocation(hi, lo Allocation) bool {
	return hi.HoursPerWeek > lo.HoursPerWeek || hi.MDFPerPeriod > lo.MDFPerPeriod ||
		hi.DealRegPriority > lo.DealRegPriority || hi.MarginPercent > lo.MarginPercent ||
		len(hi.Benefits) > len(lo.Benefits)
}

func checkSizeMetrics(in HealthInput) Finding {
	f := Finding{Check: "size-metric", Title: "Tiers earned on production, not size"}
	var uses []string
	for _, t := range in.Program.Tiers {
		for _, key := range t.Criteria.Metrics() {
			if m, ok := in.Program.Metric(key); ok && m.Size {
				uses = append(uses, fmt.Sprintf("%s requires %s", t.Name, strings.ToLower(m.Label)))
			}
		}
	}
	if len(uses) == 0 {
		f.Detail = "no criterion uses a size metric"
		return f
	}
	f.Severity = Error
	f.Detail = strings.Join(uses, "; ") + ": the partner's own size earns it a tier"
	f.Fix = "replace size criteria with production: sourced pipeline, revenue, certified reps, joint customers"
	return f
}

func checkUnknownTiers(in HealthInput) Finding {
	f := Finding{Check: "unknown-tier", Title: "Every partner holds a tier of the program"}
	var odd []string
	n := 0
	for _, pa := range in.Partners {
		if pa.Active() && in.Program.TierIndex(pa.Tier) < 0 {
			n++
			if len(odd) < 5 {
				odd = append(odd, fmt.Sprintf("%s (%q)", pa.Name, pa.Tier))
			}
		}
	}
	if n == 0 {
		f.Detail = "every active partner holds a tier the config defines"
		return f
	}
	f.Severity = Error
	f.Detail = fmt.Sprintf("%s in tiers the config does not define: %s", Plural(n, "partner", "partners"), strings.Join(odd, ", "))
	if n > len(odd) {
		f.Detail += ", …"
	}
	f.Fix = "add the tier back to the config, or run a review: it places each of them where its production earns"
	return f
}

func checkRatchet(in HealthInput) Finding {
	f := Finding{Check: "ratchet", Title: "Partners move down as well as up"}
	since := in.Now.AddDate(-1, 0, 0)
	ups, downs := 0, 0
	for _, h := range in.History {
		if h.At.Before(since) || !h.Reviewed() {
			continue
		}
		switch h.Direction(in.Program) {
		case 1:
			ups++
		case -1:
			downs++
		}
	}
	if downs > 0 {
		f.Detail = fmt.Sprintf("%s and %s in the last twelve months", Plural(downs, "demotion", "demotions"), Plural(ups, "promotion", "promotions"))
		return f
	}
	above := 0
	for _, p := range in.Partners {
		if p.Active() && in.Program.TierIndex(p.Tier) > 0 {
			above++
		}
	}
	if above == 0 {
		f.Detail = "no partner above the entry tier yet"
		return f
	}
	f.Severity = Error
	f.Detail = fmt.Sprintf("no demotion in the last twelve months (%s): tiers only ratchet up", Plural(ups, "promotion", "promotions"))
	f.Fix = "run the review and accept the demotions the evidence supports; grace holds already soften the first miss"
	return f
}

func checkOverdue(in HealthInput) Finding {
	f := Finding{Check: "overdue", Title: "Reviews on a fixed cadence"}
	due := LastComplete(in.Now, in.Program.Cadence)
	last := LastReviewed(in.Program, in.Reviews, in.History)
	ok := !last.IsZero()
	if ok && !last.Before(due) {
		f.Detail = fmt.Sprintf("%s is reviewed", last)
		return f
	}
	late := in.Now.Sub(due.End())
	if late < overdueAfter {
		f.Detail = fmt.Sprintf("the %s review is due by %s", due, due.End().Add(overdueAfter).Format(time.DateOnly))
		return f
	}
	f.Severity = Warning
	if ok {
		f.Detail = fmt.Sprintf("last review %s; %s ended %d days ago and is not reviewed", last, due, int(late.Hours()/24))
		if last.Before(due.Prev()) {
			f.Severity = Error
		}
	} else {
		f.Detail = fmt.Sprintf("no review on record; %s ended %d days ago", due, int(late.Hours()/24))
	}
	f.Fix = fmt.Sprintf("run the %s review: partnertiers review --period %s", due, due)
	return f
}

func checkTopTierCrowded(in HealthInput) Finding {
	top := in.Program.TopTier()
	f := Finding{Check: "top-tier", Title: "The top tier stays exclusive"}
	active, inTop := 0, 0
	for _, p := range in.Partners {
		if p.Active() {
			active++
			if p.Tier == top.Key {
				inTop++
			}
		}
	}
	if active == 0 {
		f.Detail = "no partners yet"
		return f
	}
	share := float64(inTop) / float64(active)
	f.Detail = fmt.Sprintf("%s holds %d of %d partners (%.0f%%; limit %.0f%%)", top.Name, inTop, active, share*100, in.Program.TopTierMaxShare*100)
	if in.Program.TopTierMaxShare > 0 && share > in.Program.TopTierMaxShare {
		f.Severity = Warning
		f.Fix = fmt.Sprintf("raise %s's thresholds or demote the partners that no longer earn it", top.Name)
	}
	return f
}

func checkOverridesUpward(in HealthInput) Finding {
	f := Finding{Check: "overrides", Title: "Overrides go both ways"}
	// The last finalized review: an open one is still changing.
	var last *Review
	for _, r := range in.Reviews {
		if r.Status == ReviewFinalized && (last == nil || last.Period.Before(r.Period)) {
			last = r
		}
	}
	if last == nil {
		f.Detail = "no finalized review yet"
		return f
	}
	s := last.Summary(in.Program)
	f.Detail = fmt.Sprintf("%s review: %s, %d up, %d down", last.Period, Plural(s.Overrides, "override", "overrides"), s.OverridesUp, s.OverridesDown)
	if s.Overrides >= 2 && s.OverridesUp*3 > s.Overrides*2 {
		f.Severity = Warning
		f.Fix = "overrides mostly lift partners above what they earn: check the reasons, or lower the thresholds if they are wrong"
	}
	return f
}

func checkCapacity(in HealthInput) Finding {
	f := Finding{Check: "capacity", Title: "Tiers promise no more hours than the team has"}
	promised := 0.0
	for _, p := range in.Partners {
		if t, ok := in.Program.Tier(p.Tier); ok && p.Active() {
			promised += t.Allocation.HoursPerWeek
		}
	}
	capacity := 0.0
	for _, m := range in.Program.Managers {
		capacity += m.CapacityHours
	}
	f.Detail = fmt.Sprintf("tiers promise %s h/wk; the team has %s h/wk", fmtPlain(round1(promised)), fmtPlain(round1(capacity)))
	if promised > capacity {
		f.Severity = Warning
		f.Fix = "cut hours per partner in the lower tiers, or tighten the criteria for the higher ones"
	}
	return f
}

func checkAlignment(in HealthInput) Finding {
	f := Finding{Check: "alignment", Title: "The team's time follows the tiers"}
	a := in.Alignment
	if a == nil || !a.HasHours {
		f.Detail = "no partner time on the calendar last week: import it with partnertiers import calendar"
		return f
	}
	f.Detail = fmt.Sprintf("%s scores %.0f of 100 (minimum %.0f)", in.Week, a.Score, in.Program.MinAlignment)
	if a.Score < in.Program.MinAlignment {
		f.Severity = Warning
		f.Fix = "move hours from over-served partners to the top tier's, or change the allocations to what the team really does"
		if len(a.Over) > 0 {
			f.Detail += fmt.Sprintf("; %s gets %s h against the %s h its tier buys", a.Over[0].Name, fmtPlain(round1(a.Over[0].Hours)), fmtPlain(a.Over[0].Allocated))
		}
	}
	return f
}

func round1(v float64) float64 { return float64(int(v*10+0.5)) / 10 }

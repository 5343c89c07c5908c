package model

import (
	"cmp"
	"math"
	"slices"
)

// TierAlignment is one tier's hours: what its allocation plans and what
// the calendar shows.
type TierAlignment struct {
	Tier         string
	Partners     int
	Allocated    float64 // hours a week the tier promises its partners
	Actual       float64
	PlannedShare float64 // of all allocated hours, 0..1
	ActualShare  float64 // of all partner hours, 0..1
}

// PartnerHours is one partner's week against its allocation.
type PartnerHours struct {
	ID, Name, Tier, Manager string
	Allocated, Hours        float64
}

// ManagerLoad is what the tiers promise against what a manager can give.
type ManagerLoad struct {
	Name                       string
	Promised, Capacity, Actual float64
}

// Alignment says whether the team's time follows the tiers.
type Alignment struct {
	// Score is 100 × (1 − half the sum over tiers of |actual share −
	// planned share|): 100 when time is shared exactly as the tiers plan.
	// Zero, with HasHours false, when the week holds no partner time.
	Score    float64
	HasHours bool
	Tiers    []TierAlignment // top tier first
	Partners []PartnerHours  // every active partner, most hours first
	Over     []PartnerHours  // well above their allocation, most excess first
	Under    []PartnerHours  // top-tier partners with little or no time, least first
	Managers []ManagerLoad
	Total    float64 // partner hours in the week
}

// Over-served: more than twice the allocation and at least an hour above
// it. Under-served: a top-tier partner under half its allocation.
const (
	overFactor  = 2
	overMinimum = 1.0
	underFactor = 0.5
)

// Align compares a week's partner hours with what the tiers allocate.
func Align(p *Program, partners []Partner, hours map[string]float64) Alignment {
	var a Alignment
	byTier := map[string]*TierAlignment{}
	for i := len(p.Tiers) - 1; i >= 0; i-- {
		a.Tiers = append(a.Tiers, TierAlignment{Tier: p.Tiers[i].Key})
	}
	for i := range a.Tiers {
		byTier[a.Tiers[i].Tier] = &a.Tiers[i]
	}
	loads := map[string]*ManagerLoad{}
	for _, m := range p.Managers {
		a.Managers = append(a.Managers, ManagerLoad{Name: m.Name, Capacity: m.CapacityHours})
	}
	for i := range a.Managers {
		loads[a.Managers[i].Name] = &a.Managers[i]
	}
	top := p.TopTier().Key
	allocated := 0.0
	for _, pa := range partners {
		if !pa.Active() {
			continue
		}
		t, ok := p.Tier(pa.Tier)
		alloc := 0.0
		if ok {
			alloc = t.Allocation.HoursPerWeek
		}
		h := hours[pa.ID]
		ph := PartnerHours{ID: pa.ID, Name: pa.Name, Tier: pa.Tier, Manager: pa.Manager, Allocated: alloc, Hours: h}
		a.Partners = append(a.Partners, ph)
		a.Total += h
		allocated += alloc
		if ta := byTier[pa.Tier]; ta != nil {
			ta.Partners++
			ta.Allocated += alloc
			ta.Actual += h
		}
		if l := loads[pa.Manager]; l != nil {
			l.Promised += alloc
			l.Actual += h
		}
		if h > overFactor*alloc && h-alloc >= overMinimum {
			a.Over = append(a.Over, ph)
		}
		if pa.Tier == top && h < underFactor*alloc {
			a.Under = append(a.Under, ph)
		}
	}
	gap := 0.0
	for i := range a.Tiers {
		t := &a.Tiers[i]
		if allocated > 0 {
			t.PlannedShare = t.Allocated / allocated
		}
		if a.Total > 0 {
			t.ActualShare = t.Actual / a.Total
		}
		gap += math.Abs(t.ActualShare - t.PlannedShare)
	}
	if a.Total > 0 {
		a.HasHours = true
		a.Score = math.Max(0, 100*(1-gap/2))
	}
	slices.SortStableFunc(a.Partners, func(x, y PartnerHours) int {
		return cmp.Or(cmp.Compare(y.Hours, x.Hours), cmp.Compare(x.Name, y.Name))
	})
	slices.SortStableFunc(a.Over, func(x, y PartnerHours) int {
		return cmp.Or(cmp.Compare(y.Hours-y.Allocated, x.Hours-x.Allocated), cmp.Compare(x.Name, y.Name))
	})
	slices.SortStableFunc(a.Under, func(x, y PartnerHours) int {
		return cmp.Or(cmp.Compare(x.Hours, y.Hours), cmp.Compare(x.Name, y.Name))
	})
	return a
}

package store

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

var q2, q3 = model.MustPeriod("2026-Q2"), model.MustPeriod("2026-Q3")

// reviewStore holds the seeded roster with production that proposes
// Northwind's demotion (nothing for two quarters), Brightpath's promotion
// to gold and a hold for Contoso.
func reviewStore(t testing.TB) *Store {
	t.Helper()
	s := seeded(t)
	gold := map[string]float64{"sourced_pipeline": 250000, "sourced_revenue": 100000, "certified_reps": 6, "joint_customers": 7}
	silver := map[string]float64{"sourced_pipeline": 60000, "certified_reps": 2, "registered_deals": 3}
	err := s.PutProduction([]model.Production{
		{Partner: "northwind-global", Period: model.MustPeriod("2026-Q1"), Values: map[string]float64{"certified_reps": 3}},
		{Partner: "northwind-global", Period: q2, Values: map[string]float64{"certified_reps": 3}},
		{Partner: "northwind-global", Period: q3, Values: map[string]float64{"certified_reps": 3}},
		{Partner: "brightpath-analytics", Period: q2, Values: gold},
		{Partner: "brightpath-analytics", Period: q3, Values: gold},
		{Partner: "contoso", Period: q2, Values: silver},
		{Partner: "contoso", Period: q3, Values: silver},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReviewStartResumeDecideFinalize(t *testing.T) {
	s := reviewStore(t)
	p := testProgram()
	at := testNow

	r, started, err := s.StartOrResumeReview(p, q3, "dana", at)
	if err != nil || !started {
		t.Fatalf("start: %v, started %v", err, started)
	}
	kinds := map[string]model.MoveKind{}
	for _, pr := range r.Proposals {
		kinds[pr.Partner] = pr.Kind
	}
	if kinds["northwind-global"] != model.Demote || kinds["brightpath-analytics"] != model.Promote || kinds["contoso"] != model.Hold {
		t.Fatalf("proposals = %v", kinds)
	}

	// Accept Brightpath; a blank override on Northwind is refused and saves nothing.
	if _, err := s.UpdateReview(q3, "brightpath-analytics", func(r *model.Review) error { _, err := r.Accept("brightpath-analytics", "dana", at); return err }); err != nil {
		t.Fatal(err)
	}
	_, err = s.UpdateReview(q3, "northwind-global", func(r *model.Review) error {
		_, err := r.Override(p, "northwind-global", "gold", " ", "dana", at)
		return err
	})
	if !errors.Is(err, model.ErrBlankReason) {
		t.Fatalf("blank reason: err = %v", err)
	}

	// A second handle (another process, or the app restarted) resumes exactly.
	other, err := Open(s.Path(), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	again, started, err := other.StartOrResumeReview(p, q3, "sam", at.Add(time.Hour))
	if err != nil || started {
		t.Fatalf("resume: %v, started %v", err, started)
	}
	if d := again.Decision("brightpath-analytics"); d.Kind != model.Accepted || d.Tier != "gold" || d.By != "dana" {
		t.Errorf("resumed decision = %+v", d)
	}
	if d := again.Decision("northwind-global"); d.Kind != model.Pending {
		t.Errorf("the refused override was saved: %+v", d)
	}
	if open, err := other.OpenReview(); err != nil || open.Period != q3 {
		t.Errorf("open review = %v, %v", open, err)
	}
	if _, _, err := other.StartOrResumeReview(p, q2, "sam", at); err == nil || !strings.Contains(err.Error(), "2026-Q3 review is still open") {
		t.Errorf("a second open review: err = %v", err)
	}

	// Finalize refuses undecided moves and changes nothing.
	r, _, err = s.FinalizeReview(p, q3, "dana", at)
	if !errors.Is(err, model.ErrUndecided) || r == nil || len(r.Undecided()) != 1 {
		t.Fatalf("finalize with undecided: err = %v, review %v", err, r)
	}
	if pa, _ := s.Partner("brightpath-analytics"); pa.Tier != "registered" {
		t.Fatal("a refused finalize applied a decision")
	}

	// Undo and redo, then override Northwind with a reason.
	if _, err := s.UpdateReview(q3, "brightpath-analytics", func(r *model.Review) error { return r.Undo("brightpath-analytics") }); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Review(q3); r.Decision("brightpath-analytics").Kind != model.Pending {
		t.Fatal("undo was not saved")
	}
	for _, id := range []string{"brightpath-analytics", "northwind-global"} {
		d, err := s.UpdateReview(q3, id, func(r *model.Review) error { _, err := r.Accept(id, "dana", at); return err })
		if err != nil || d.Kind != model.Accepted || d.Partner != id {
			t.Fatalf("accept %s: %+v, %v", id, d, err)
		}
	}

	histBefore, _ := s.AllHistory()
	r, hs, err := s.FinalizeReview(p, q3, "dana", at)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != model.ReviewFinalized || len(hs) != 2 {
		t.Fatalf("finalized %s with %d history entries", r.Status, len(hs))
	}
	for id, tier := range map[string]string{"northwind-global": "silver", "brightpath-analytics": "gold", "contoso": "silver"} {
		pa, err := s.Partner(id)
		if err != nil || pa.Tier != tier {
			t.Errorf("%s: tier %s, want %s (%v)", id, pa.Tier, tier, err)
		}
		if id != "contoso" && !pa.TierSince.Equal(at) {
			t.Errorf("%s: tier since %v, want %v", id, pa.TierSince, at)
		}
	}
	nw, _ := s.History("northwind-global")
	last := nw[len(nw)-1]
	if last.From != "gold" || last.To != "silver" || last.Period != q3 || last.Kind != model.Demote || !strings.Contains(last.Reason, "sourced pipeline $0 of $400,000") {
		t.Errorf("history = %+v", last)
	}
	histAfter, _ := s.AllHistory()
	if len(histAfter) != len(histBefore)+2 {
		t.Errorf("history grew from %d to %d, want +2", len(histBefore), len(histAfter))
	}

	// Read-only from then on.
	if _, err := s.UpdateReview(q3, "northwind-global", func(r *model.Review) error { return r.Undo("northwind-global") }); !errors.Is(err, model.ErrFinalized) {
		t.Errorf("decide after finalize: err = %v", err)
	}
	if _, _, err := s.FinalizeReview(p, q3, "dana", at); !errors.Is(err, model.ErrFinalized) {
		t.Errorf("finalize twice: err = %v", err)
	}
	if _, err := s.OpenReview(); !errors.Is(err, ErrNotFound) {
		t.Errorf("open review after finalize: %v", err)
	}
	infos, err := s.ReviewInfos(p)
	if err != nil || len(infos) != 1 || infos[0].Review.Status != model.ReviewFinalized {
		t.Errorf("reviews = %v, %v", infos, err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}

const reviewCrashPartners = 150

// TestReviewCrashChild is the process TestCrashDuringReview kills: it
// starts a review where every partner demotes, accepts them one by one,
// printing each id once the store confirmed it, then finalizes.
func TestReviewCrashChild(t *testing.T) {
	path := os.Getenv("PARTNERTIERS_REVIEW_CRASH_STORE")
	if path == "" {
		t.Skip("run by TestCrashDuringReview")
	}
	s, err := Open(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	p := testProgram()
	r, _, err := s.StartOrResumeReview(p, q3, "child", testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range r.Proposals {
		if _, err := s.UpdateReview(q3, pr.Partner, func(r *model.Review) error { _, err := r.Accept(pr.Partner, "child", testNow); return err }); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("decided %s\n", pr.Partner)
	}
	fmt.Println("finalizing")
	if _, _, err := s.FinalizeReview(p, q3, "child", testNow); err != nil {
		t.Fatal(err)
	}
	fmt.Println("finalized")
}

// TestCrashDuringReview kills a child in the middle of a run of decisions
// or of finalize, then checks the reopened store: bbolt's consistency
// check passes, every decision the child saw confirmed is there, and
// finalize is either fully applied or not at all.
func TestCrashDuringReview(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	for round := range 6 {
		path := filepath.Join(t.TempDir(), "review.db")
		s, err := Create(path, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		var roster strings.Builder
		roster.WriteString("name,track,tier,joined\n")
		for i := range reviewCrashPartners {
			fmt.Fprintf(&roster, "Review Partner %d,reseller,silver,2020-01-01\n", i)
		}
		if _, err := s.ImportPartners("roster.csv", []byte(roster.String()), testProgram(), ImportOptions{}); err != nil {
			t.Fatal(err)
		}

		cmd := exec.Command(os.Args[0], "-test.run=^TestReviewCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "PARTNERTIERS_REVIEW_CRASH_STORE="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Even rounds die among the decisions, odd ones around finalize.
		killAfter := rand.IntN(reviewCrashPartners)
		if round%2 == 1 {
			killAfter = reviewCrashPartners
		}
		confirmed := map[string]bool{}
		finalized := false
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if id, ok := strings.CutPrefix(line, "decided "); ok {
				confirmed[id] = true
			}
			finalized = finalized || line == "finalized"
			if len(confirmed) >= killAfter {
				if round%2 == 1 {
					time.Sleep(time.Duration(rand.IntN(30)) * time.Millisecond)
				}
				break
			}
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()

		if err := s.Check(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		r, err := s.Review(q3)
		if err != nil {
			if len(confirmed) > 0 {
				t.Fatalf("round %d: %d decisions confirmed but no review: %v", round, len(confirmed), err)
			}
			continue
		}
		for id := range confirmed {
			if r.Decision(id).Kind != model.Accepted {
				t.Fatalf("round %d: confirmed decision on %s is lost", round, id)
			}
		}
		partners := mustPartners(t, s)
		demoted := 0
		for _, pa := range partners {
			if pa.Tier == "registered" {
				demoted++
			}
		}
		hs, _ := s.AllHistory()
		moves := 0
		for _, h := range hs {
			if h.Period == q3 {
				moves++
			}
		}
		switch r.Status {
		case model.ReviewFinalized:
			if demoted != reviewCrashPartners || moves != reviewCrashPartners {
				t.Fatalf("round %d: finalized, but %d demoted and %d history entries of %d", round, demoted, moves, reviewCrashPartners)
			}
		default:
			if finalized {
				t.Fatalf("round %d: the child saw finalize confirmed, the store did not keep it", round)
			}
			if demoted != 0 || moves != 0 {
				t.Fatalf("round %d: open review, but %d partners demoted and %d history entries", round, demoted, moves)
			}
		}
		t.Logf("round %d: %d decisions confirmed, review %s", round, len(confirmed), r.Status)
	}
}

func TestReviewPeriodsRefreshAndDiscard(t *testing.T) {
	s := reviewStore(t)
	p := testProgram()
	at := testNow

	if _, _, err := s.StartOrResumeReview(p, model.MustPeriod("2030-Q1"), "dana", at); !errors.Is(err, model.ErrPeriod) {
		t.Errorf("a period that has not ended: err = %v", err)
	}

	// Started before the data came in: no decisions, so it is evaluated again.
	r, _, err := s.StartOrResumeReview(p, q3, "dana", at)
	if err != nil {
		t.Fatal(err)
	}
	if pr, _ := r.Proposal("contoso"); pr.Kind != model.Hold {
		t.Fatalf("contoso: %s", pr.Kind)
	}
	s.opts.Now = func() time.Time { return at.Add(time.Hour) }
	bump := "partner,period,sourced_pipeline,sourced_revenue,certified_reps,joint_customers,registered_deals\n" +
		"contoso,2026-Q3,900000,400000,9,12,20\n"
	if _, err := s.ImportProduction("late.csv", []byte(bump), p, DefaultProductionColumns(), ImportOptions{Now: at.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	r, started, err := s.StartOrResumeReview(p, q3, "dana", at.Add(2*time.Hour))
	if err != nil || !started {
		t.Fatalf("refresh: started %v, %v", started, err)
	}
	if pr, _ := r.Proposal("contoso"); pr.Kind != model.Promote || pr.To != "gold" {
		t.Errorf("after the late import contoso is %s → %s, want a promotion to gold", pr.Kind, pr.To)
	}

	// Once someone decided, the proposals stay as they were seen.
	if _, err := s.UpdateReview(q3, "contoso", func(r *model.Review) error { _, err := r.Accept("contoso", "dana", at); return err }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportProduction("later.csv", []byte(strings.Replace(bump, "900000", "1", 1)), p, DefaultProductionColumns(), ImportOptions{Now: at.Add(3 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if r, started, _ := s.StartOrResumeReview(p, q3, "dana", at.Add(4*time.Hour)); started || r.Decision("contoso").Kind != model.Accepted {
		t.Errorf("a review with decisions was evaluated again (started %v)", started)
	}

	// Discard drops it; the period can start again.
	if err := s.DiscardReview(q3); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Review(q3); !errors.Is(err, ErrNotFound) {
		t.Errorf("after discard: %v", err)
	}
	if _, started, err := s.StartOrResumeReview(p, q3, "dana", at); err != nil || !started {
		t.Fatalf("restart after discard: started %v, %v", started, err)
	}
	for _, id := range []string{"northwind-global", "brightpath-analytics", "contoso"} {
		if _, err := s.UpdateReview(q3, id, func(r *model.Review) error {
			if pr, _ := r.Proposal(id); !pr.Kind.IsMove() {
				return nil
			}
			_, err := r.Accept(id, "dana", at)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.FinalizeReview(p, q3, "dana", at); err != nil {
		t.Fatal(err)
	}
	if err := s.DiscardReview(q3); !errors.Is(err, model.ErrFinalized) {
		t.Errorf("discarding a finalized review: err = %v", err)
	}
	if _, _, err := s.StartOrResumeReview(p, q2, "dana", at); !errors.Is(err, model.ErrPeriod) {
		t.Errorf("a period before the finalized one: err = %v", err)
	}
}

// TestReviewRefusedBeforeRecordedMoves: moves of a review made before this
// tool, imported into the history, end the periods a review may start.
func TestReviewRefusedBeforeRecordedMoves(t *testing.T) {
	s := reviewStore(t)
	p := testProgram()
	if err := s.AppendHistory(model.History{Partner: "contoso", From: "registered", To: "silver", Period: q3, Kind: model.Promote, By: "import", At: testNow}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.StartOrResumeReview(p, q2, "dana", testNow); !errors.Is(err, model.ErrPeriod) || !strings.Contains(err.Error(), "2026-Q3 is already reviewed") {
		t.Errorf("start %s after %s moves on record: %v", q2, q3, err)
	}
	if _, _, err := s.StartOrResumeReview(p, q3, "dana", testNow); !errors.Is(err, model.ErrPeriod) {
		t.Errorf("start %s, whose moves are on record: %v", q3, err)
	}
}

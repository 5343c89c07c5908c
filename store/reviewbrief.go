package store

import (
	"fmt"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

// Brief is the store as the app reads reviews: proposals without their
// explanations, which ReviewProposals reads for the partners on screen
// along with their evidence. Each proposal then holds only its own id and
// name and shares its tiers: a review of 100k partners takes about 14 MB
// of memory, not 37. Every other method is the Store's.
type Brief struct{ *Store }

// Brief is s reading reviews brief.
func (s *Store) Brief() Brief { return Brief{s} }

// Review is Store.Review, brief.
func (b Brief) Review(period model.Period) (*model.Review, error) { return b.review(period, readBrief) }

// OpenReview is Store.OpenReview, brief.
func (b Brief) OpenReview() (*model.Review, error) { return b.openReview(readBrief) }

// StartOrResumeReview is Store.StartOrResumeReview, brief.
func (b Brief) StartOrResumeReview(p *model.Program, period model.Period, by string, at time.Time) (*model.Review, bool, error) {
	r, _, started, err := b.startReview(p, period, by, at, readBrief)
	if err != nil {
		return nil, false, fmt.Errorf("review %s: %w", period, err)
	}
	return r, started, nil
}

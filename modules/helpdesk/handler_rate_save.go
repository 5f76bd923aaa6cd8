package helpdesk

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleRateSave records the rating when the reporter presses the button.
// The form must carry its own link's signature (it stands in for the CSRF
// token); a bad score or comment shows the form again with what was typed.
func (m *Module) handleRateSave(c *fiber.Ctx) error {
	token := c.Params("token")
	score, _ := strconv.Atoi(c.FormValue("score"))
	form := rateForm{Score: score, Comment: c.FormValue("comment")}
	if !m.svc.RateCheck(token, c.FormValue("sig")) {
		v, err := m.svc.RateLinkView(c.UserContext(), token)
		if err != nil {
			return err
		}
		errs := web.Errors{}
		errs.Add("", "helpdesk.rate.err.form")
		return m.renderRate(c, token, v, form, errs, false, fiber.StatusBadRequest)
	}
	v, err := m.svc.Rate(c.UserContext(), token, score, form.Comment, web.ClientIP(c))
	switch {
	case err == nil:
		return c.Redirect(ratePath+token+"?done=1", fiber.StatusSeeOther)
	case v == nil:
		return err
	case errors.Is(err, ErrRateLink):
		return m.renderRate(c, token, v, form, nil, false, 0)
	case errors.Is(err, ErrRateScore), errors.Is(err, ErrRateComment):
		errs := web.Errors{}
		if errors.Is(err, ErrRateScore) {
			errs.Add("score", messages[ErrRateScore])
		}
		if errors.Is(err, ErrRateComment) {
			errs.Add("comment", messages[ErrRateComment])
		}
		return m.renderRate(c, token, v, form, errs, false, fiber.StatusUnprocessableEntity)
	}
	return err
}

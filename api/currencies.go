package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"securelink/internal/domain"
)

// CurrencyResponse is one currency SecureLink accepts: amounts in it are integers of 10^-exponent
// of the currency (RSD 2: 120000 is 1.200,00 RSD; JPY 0; KWD 3).
type CurrencyResponse struct {
	Code     string `json:"code" example:"RSD"`
	Exponent int    `json:"exponent" example:"2"`
	Name     string `json:"name" example:"Serbian dinar"`
} // @name Currency

// currencyList is the answer of GET /currencies, built once from the domain's table.
var currencyList = func() []CurrencyResponse {
	out := make([]CurrencyResponse, len(domain.Currencies))
	for i, c := range domain.Currencies {
		out[i] = CurrencyResponse{Code: c.Code, Exponent: c.Exponent, Name: c.Name}
	}
	return out
}()

// listCurrencies godoc
//
//	@ID				listCurrencies
//	@Summary		The currencies SecureLink accepts
//	@Description	Every accepted ISO 4217 currency with its minor-unit exponent: an amount of `n` minor units is `n / 10^exponent` in major units. No authentication; the answer may be cached for a day. The default currency (RSD) comes first.
//	@Tags			Currencies
//	@Produce		json
//	@Success		200	{array}	CurrencyResponse
//	@Failure		400	{object}	ErrorBody	"A query parameter holds a NUL byte or a card number."
//	@Router			/currencies [get]
func (s *Server) listCurrencies(c echo.Context) error {
	// The table changes only with a release; the SPAs and integrators may keep it for a day.
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.JSON(http.StatusOK, currencyList)
}

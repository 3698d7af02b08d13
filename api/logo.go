package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/merchants"
)

// logoPath is where a logo file is served, or "" for none.
func logoPath(file string) string {
	if file == "" {
		return ""
	}
	return "/api/v1/logos/" + file
}

// absoluteLogoURL is a logo's address for places read outside SecureLink (e-mails, link previews).
func (s *Server) absoluteLogoURL(file string) string {
	if file == "" {
		return ""
	}
	return strings.TrimRight(s.d.BaseURL, "/") + logoPath(file)
}

// LogoResponse is the merchant's logo as stored.
type LogoResponse struct {
	Object string `json:"object" example:"logo"`
	// URL is where payers' browsers and e-mail readers load it; a new logo gets a new address.
	URL         string `json:"url" example:"/api/v1/logos/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.png"`
	ContentType string `json:"content_type" enums:"image/png,image/jpeg,image/svg+xml"`
	Size        int    `json:"size" example:"18342"`
} // @name Logo

// putMerchantLogo godoc
//
//	@Summary		Upload the merchant's logo
//	@ID				putMerchantLogo
//	@Description	The body is the image itself: PNG, JPEG or SVG, at most 256 KB and 4096 pixels a side. An SVG may only draw: one with script, foreignObject, event handlers, external references or a document type is refused. The logo shows on the checkout, receipts, e-mails and PDFs; it replaces any earlier one.
//	@Tags			Merchant
//	@Accept			image/png,image/jpeg,image/svg+xml
//	@Produce		json
//	@Security		BearerAuth
//	@Param			body	body		string	true	"the image"
//	@Success		200		{object}	LogoResponse
//	@Failure		400		{object}	ErrorBody
//	@Failure		401		{object}	ErrorBody
//	@Failure		413		{object}	ErrorBody
//	@Failure		415		{object}	ErrorBody
//	@Router			/merchant/logo [put]
func (s *Server) putMerchantLogo(c echo.Context) error {
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(c.Request().Header.Get(echo.HeaderContentType), ";", 2)[0]))
	switch ct {
	case "image/png", "image/jpeg", "image/svg+xml", echo.MIMEOctetStream:
	default:
		return &apperr.Error{Kind: apperr.KindInvalid, Code: "unsupported_media_type", Param: "Content-Type",
			Status:  http.StatusUnsupportedMediaType,
			Message: "Send the image as the body with Content-Type image/png, image/jpeg or image/svg+xml."}
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, merchants.MaxLogoBytes+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &apperr.Error{Kind: apperr.KindInvalid, Code: "logo_too_large", Param: "logo", Status: http.StatusRequestEntityTooLarge,
				Message: "The logo is larger than " + strconv.Itoa(merchants.MaxLogoBytes/1024) + " KB."}
		}
		return apperr.Invalid("logo", "invalid_body", "The image could not be read.")
	}
	l, err := s.d.Merchants.SetLogo(c.Request().Context(), actorOf(c), data)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, LogoResponse{Object: "logo", URL: logoPath(l.File), ContentType: l.ContentType, Size: len(l.Data)})
}

// deleteMerchantLogo godoc
//
//	@Summary	Remove the merchant's logo
//	@ID			deleteMerchantLogo
//	@Tags		Merchant
//	@Security	BearerAuth
//	@Success	204
//	@Failure	401	{object}	ErrorBody
//	@Router		/merchant/logo [delete]
func (s *Server) deleteMerchantLogo(c echo.Context) error {
	if err := s.d.Merchants.RemoveLogo(c.Request().Context(), actorOf(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// logoCSP keeps an SVG logo opened on its own from doing anything but drawing.
const logoCSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"

// getLogo godoc
//
//	@Summary		A merchant's logo
//	@ID				getLogo
//	@Description	No authentication: the address is the image's SHA-256, so it never changes and is cached for a year.
//	@Tags			Checkout
//	@Produce		image/png,image/jpeg,image/svg+xml,json
//	@Param			file	path		string	true	"<sha-256>.<png|jpg|svg>"
//	@Success		200		{file}		binary
//	@Failure		404		{object}	ErrorBody
//	@Router			/logos/{file} [get]
func (s *Server) getLogo(c echo.Context) error {
	l, err := s.d.Merchants.LogoByFile(c.Request().Context(), c.Param("file"))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", logoCSP)
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	return c.Blob(http.StatusOK, l.ContentType, l.Data)
}

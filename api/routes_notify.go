package api

import "github.com/labstack/echo/v4"

// notifyRoutes adds the merchant's e-mail, event and webhook endpoint routes.
func (s *Server) notifyRoutes(g *echo.Group) {
	g.GET("/emails", s.listEmails)
	g.GET("/emails/:id", s.getEmail)
	g.GET("/emails/:id/preview", s.previewEmail)
	g.POST("/emails/:id/send", s.sendEmail)
	g.GET("/events", s.listEvents)
	g.GET("/events/:id", s.getEvent)
	g.POST("/events/:id/redeliver", s.redeliverEvent)
	g.GET("/webhook-endpoints", s.listEndpoints)
	g.POST("/webhook-endpoints", s.createEndpoint)
	g.GET("/webhook-endpoints/:id", s.getEndpoint)
	g.PATCH("/webhook-endpoints/:id", s.updateEndpoint)
	g.DELETE("/webhook-endpoints/:id", s.deleteEndpoint)
	g.POST("/webhook-endpoints/:id/rotate-secret", s.rotateEndpointSecret)
}

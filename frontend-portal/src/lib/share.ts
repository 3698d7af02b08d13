// Share shortcuts for a payment link: each opens the app with a message already written.
export type ShareLinks = { sms: string; whatsapp: string; viber: string; email: string };

export function shareLinks(message: string, subject: string, to: { phone?: string; email?: string } = {}): ShareLinks {
  const m = encodeURIComponent(message);
  const phone = (to.phone ?? '').replace(/[^\d+]/g, '');
  return {
    // "?&body=" is read by both Android and iOS messaging apps.
    sms: `sms:${phone}?&body=${m}`,
    whatsapp: `https://wa.me/?text=${m}`,
    viber: `viber://forward?text=${m}`,
    email: `mailto:${encodeURIComponent(to.email ?? '')}?subject=${encodeURIComponent(subject)}&body=${m}`,
  };
}

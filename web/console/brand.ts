/** Tenant branding (`brand_config`) applied to the console as CSS variables. */
export interface Brand {
  productName?: string;
  logo?: { url: string; alt?: string };
  colors?: { primary?: string; primaryHover?: string; background?: string; text?: string };
  fonts?: { heading?: string; body?: string };
}

export function applyBrand(brand: Brand): void {
  const root = document.documentElement.style;
  const set = (name: string, value: string | undefined) =>
    value ? root.setProperty(name, value) : root.removeProperty(name);
  set('--primary', brand.colors?.primary);
  set('--primary-hover', brand.colors?.primaryHover ?? brand.colors?.primary);
  set('--font-body', brand.fonts?.body ? `"${brand.fonts.body}", system-ui, sans-serif` : undefined);
  set('--font-heading', brand.fonts?.heading ? `"${brand.fonts.heading}", system-ui, sans-serif` : undefined);
  document.title = `${brand.productName ?? 'Frontdesk'} console`;
}

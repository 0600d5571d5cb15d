/** The widget settings' live preview: the chat window as the visitor will see it, redrawn as the texts change. */
export interface PreviewTexts {
  greeting: string;
  offlineMessage: string;
  primaryColor: string;
  title: string;
}

export function WidgetPreview({ texts, brandName }: { texts: PreviewTexts; brandName: string }) {
  return (
    <figure class="preview">
      <figcaption>Live preview</figcaption>
      <div class="preview-window" style={{ '--accent': texts.primaryColor }}>
        <div class="preview-head">{texts.title || brandName}</div>
        <div class="preview-body">
          {texts.greeting && <p class="preview-bubble">{texts.greeting}</p>}
          {texts.offlineMessage && (
            <p class="preview-note">When no AI agent answers: {texts.offlineMessage}</p>
          )}
        </div>
        <div class="preview-input" aria-hidden="true">
          Your message…
        </div>
      </div>
      <div class="preview-launcher" aria-hidden="true" />
    </figure>
  );
}

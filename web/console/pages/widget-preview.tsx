/** The widget settings' live preview: the chat window as the visitor will see it, redrawn as the texts change. */
export interface PreviewTexts {
  greeting: string;
  offlineMessage: string;
  primaryColor: string;
  title: string;
  preChatEmail: 'off' | 'optional' | 'required';
  preChatMessage: string;
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
        {/* The pre-chat form, above the message box as in the widget (until the first message). */}
        {texts.preChatEmail !== 'off' && (
          <div class="preview-prechat">
            <p class="preview-note">
              {texts.preChatMessage || 'Leave your email so we can get back to you.'}
            </p>
            <div class="preview-field" aria-hidden="true">
              {texts.preChatEmail === 'required' ? 'Your email' : 'Your email (optional)'}
            </div>
          </div>
        )}
        <div class="preview-input" aria-hidden="true">
          Your message…
        </div>
      </div>
      <div class="preview-launcher" aria-hidden="true" />
    </figure>
  );
}

/** The widget's CSS (inside its shadow root; colours and sizes come from CSS variables). */
export const styles = `
.fd{position:fixed;bottom:20px;z-index:2147483000;font-family:var(--fd-font);font-size:15px;line-height:1.4;color:#1f2937;display:flex;flex-direction:column;gap:12px}
.fd.right{right:20px;align-items:flex-end}.fd.left{left:20px;align-items:flex-start}
button{font:inherit;cursor:pointer}
button:focus-visible,textarea:focus-visible,input:focus-visible,.log:focus-visible{outline:3px solid #111827;outline-offset:2px}
.launcher{display:flex;align-items:center;gap:8px;border:0;border-radius:999px;padding:12px 18px;background:var(--fd-primary);color:var(--fd-on-primary);box-shadow:0 4px 14px rgba(0,0,0,.25);font-weight:600}
.window{width:var(--fd-width);height:min(var(--fd-height),calc(100vh - 110px));background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}
.head{display:flex;align-items:center;gap:10px;padding:14px 16px;background:var(--fd-primary);color:var(--fd-on-primary)}
.logo{width:32px;height:32px;border-radius:6px;object-fit:contain;background:#fff}
.titles{flex:1;min-width:0}h2{margin:0;font-size:16px}.subtitle{margin:2px 0 0;font-size:13px}
.close{background:transparent;border:0;color:inherit;font-size:24px;line-height:1;padding:4px 8px;border-radius:6px}
.offline{margin:0;padding:10px 16px;background:#fef3c7;color:#78350f;font-size:14px}
.log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:8px;background:#f9fafb}
.msg{max-width:80%;padding:9px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}
.theirs{align-self:flex-start;background:#fff;border:1px solid #e5e7eb;color:#1f2937}
.mine{align-self:flex-end;background:var(--fd-primary);color:var(--fd-on-primary)}
.typing{align-self:flex-start;padding:10px 12px;background:#fff;border:1px solid #e5e7eb;border-radius:12px}
.dots{display:inline-flex;gap:4px}.dots i{width:7px;height:7px;border-radius:50%;background:#4b5563;animation:fd-b 1s infinite}
.dots i:nth-child(2){animation-delay:.15s}.dots i:nth-child(3){animation-delay:.3s}
@keyframes fd-b{0%,80%,100%{opacity:.3}40%{opacity:1}}
@media (prefers-reduced-motion:reduce){.dots i{animation:none}}
.error{margin:0;padding:8px 16px;color:#991b1b;background:#fee2e2;font-size:14px}
.compose{display:flex;flex-wrap:wrap;gap:8px;padding:10px;border-top:1px solid #e5e7eb}
.prechat{flex:1 0 100%;display:flex;flex-direction:column;gap:4px;font-size:14px}
.prechat p{margin:0}.prechat label{font-weight:600}
.prechat input{font:inherit;padding:8px 10px;border:1px solid #6b7280;border-radius:8px;color:#111827}
.prechat input[aria-invalid]{border-color:#991b1b}.field-error{color:#991b1b}
textarea{flex:1;resize:none;font:inherit;padding:8px 10px;border:1px solid #6b7280;border-radius:8px;color:#111827}
.send{border:0;border-radius:8px;padding:0 16px;background:var(--fd-primary);color:var(--fd-on-primary);font-weight:600}
.powered{margin:0;padding:4px 0 8px;text-align:center;font-size:12px;color:#4b5563}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){.fd{bottom:12px}.fd.right{right:12px}.fd.left{left:12px}
.window{position:fixed;inset:0;width:100vw;height:100dvh;border-radius:0}}
`;

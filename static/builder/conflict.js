// 草稿冲突: someone (or another tab) saved the draft since this page loaded it. Nothing of ours
// was saved. The designer chooses: 载入最新 (their draft; ours is dropped) or 复制我的修改 (our
// definition as JSON, to the clipboard and as a file to download), never a silent overwrite.

export function openConflict(ctx, body) {
  const dialog = document.getElementById("conflict");
  document.getElementById("conflict-message").textContent = body.message || ctx.texts.conflict_title;
  const mine = JSON.stringify({ ...ctx.state(), flow: ctx.flow }, null, 2);
  const download = document.getElementById("conflict-download");
  if (download.href) URL.revokeObjectURL(download.href);
  download.href = URL.createObjectURL(new Blob([mine], { type: "application/json" }));
  download.download = `${ctx.config.key}-draft.json`;
  document.getElementById("conflict-copy").onclick = async () => {
    try {
      await navigator.clipboard.writeText(mine);
    } catch (err) {
      // no clipboard permission: the download is there
    }
    document.getElementById("conflict-copied").hidden = false;
    download.hidden = false;
  };
  document.getElementById("conflict-reload").onclick = async () => {
    if (await ctx.reload()) dialog.close();
  };
  // Esc does not close it: the designer must choose, or the edits would sit unsaved unseen.
  dialog.oncancel = (event) => event.preventDefault();
  if (!dialog.open) dialog.showModal();
}

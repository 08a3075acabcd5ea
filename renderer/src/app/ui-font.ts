// The UI font. "Noto Sans SC" is bundled with the app (@fontsource/noto-sans-sc, imported in main.tsx):
// school PCs on domestic Linux and CI machines often have no CJK font at all, and Chinese then showed as
// empty boxes. It comes first so every machine lays the dense screens out with the same metrics; the
// system fonts after it are only reached for a character it lacks.
export const UI_FONT_FAMILY =
  '"Noto Sans SC", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';

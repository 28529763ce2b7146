// Light or dark: the OS preference unless the user picked one. Resolved here and written to
// <html data-theme>, so the CSS has one definition per theme.
import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

const query = '(prefers-color-scheme: dark)';

export function resolveTheme(choice: ThemeChoice, prefersDark: boolean): 'light' | 'dark' {
  if (choice === 'system') return prefersDark ? 'dark' : 'light';
  return choice;
}

export function useTheme(choice: ThemeChoice): 'light' | 'dark' {
  const [prefersDark, setPrefersDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const onChange = () => setPrefersDark(media.matches);
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);
  const theme = resolveTheme(choice, prefersDark);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return theme;
}

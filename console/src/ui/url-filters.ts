import { useLocation } from 'wouter';
import { useFilters } from './FilterForm';

/**
 * A page's filters kept in the URL's query as they change (the history entry replaced, not one per
 * change), so a reload or a shared link opens the same view. An empty value leaves the URL.
 */
export function useUrlFilters(): [Record<string, string>, (patch: Record<string, string>) => void] {
  const filters = useFilters();
  const [location, navigate] = useLocation();
  const update = (patch: Record<string, string>) => {
    const query = new URLSearchParams(Object.entries({ ...filters, ...patch }).filter(([, v]) => v !== '')).toString();
    navigate(query ? `${location}?${query}` : location, { replace: true });
  };
  return [filters, update];
}

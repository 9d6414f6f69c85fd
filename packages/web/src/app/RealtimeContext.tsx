import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { type ConnectionState, Realtime } from '../api/realtime.ts';

const Ctx = createContext<Realtime | null>(null);

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const rt = useMemo(() => new Realtime(), []);
  useEffect(() => {
    rt.start();
    return () => rt.stop();
  }, [rt]);
  return <Ctx.Provider value={rt}>{children}</Ctx.Provider>;
}

export function useRealtime(): Realtime {
  const rt = useContext(Ctx);
  if (!rt) throw new Error('useRealtime outside RealtimeProvider');
  return rt;
}

export function useConnectionState(): ConnectionState {
  const rt = useRealtime();
  const [state, setState] = useState(rt.state);
  useEffect(() => rt.onState(setState), [rt]);
  return state;
}

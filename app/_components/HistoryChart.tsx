'use client';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface HistoryPoint {
  label: string;
  median: number | null;
  band: [number, number] | null;
}

/** Median across code versions with the min–max band around it. */
export function HistoryChart({ points, unitLabel }: { points: HistoryPoint[]; unitLabel: string }) {
  return (
    <div className="chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis fontSize={11} unit={` ${unitLabel}`} width={80} />
          <Tooltip />
          <Legend />
          <Area type="monotone" dataKey="band" name="min–max" stroke="none" fill="#0d6efd" fillOpacity={0.15} isAnimationActive={false} />
          <Line type="monotone" dataKey="median" name="median" stroke="#0d6efd" strokeWidth={2} dot isAnimationActive={false} connectNulls />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

'use client';
import { Bar, BarChart, CartesianGrid, ErrorBar, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface DayBar {
  name: string;
  value: number;
  /** [below, above] the value: the median's confidence interval. */
  err: [number, number];
}

/** Everyone's time for one day, with the confidence interval of each median. */
export function DayChart({ bars, unitLabel }: { bars: DayBar[]; unitLabel: string }) {
  return (
    <div className="chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="name" fontSize={11} />
          <YAxis fontSize={11} unit={` ${unitLabel}`} width={80} />
          <Tooltip />
          <Bar dataKey="value" name="time" fill="#0d6efd" isAnimationActive={false}>
            <ErrorBar dataKey="err" width={6} stroke="#212529" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

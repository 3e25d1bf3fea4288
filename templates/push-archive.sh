# Pushes the commit just made (HEAD) to its branch: the workflows' "Commit the archive" steps run
# this (`init` puts it in place of their {{pushArchive}} line). A run may have taken hours, and
# anything pushed meanwhile (feedback.jsonl from another machine) would make a plain push fail, so
# the commit is put on top of it first, three times at most. feedback.jsonl only gains lines and
# their order does not matter, so lines added on both sides are all kept (git's union merge). A
# commit that still cannot go in is pushed to a branch of its own, named in the error, and the
# step fails.
echo "feedback.jsonl merge=union" >> "$(git rev-parse --git-path info/attributes)"
branch="$(git symbolic-ref --short HEAD)"
for attempt in 1 2 3; do
  if ! git fetch --quiet origin "$branch"; then
    echo "Could not fetch $branch (attempt $attempt of 3)."
  elif ! git rebase --quiet --autostash FETCH_HEAD; then
    git rebase --abort
    echo "What was pushed to $branch meanwhile changes the same files as this run."
    break
  elif git push --quiet origin "HEAD:$branch"; then
    echo "Pushed the archive to $branch."
    exit 0
  else
    echo "Could not push to $branch (attempt $attempt of 3)."
  fi
  if [ "$attempt" -lt 3 ]; then sleep $((attempt * 15)); fi
done
rescue="arxiv-digest-unpushed-${GITHUB_RUN_ID:-$(date -u +%Y%m%d%H%M%S)}"
if git push --quiet origin "HEAD:refs/heads/$rescue"; then
  echo "::error title=Archive not pushed to $branch::This run's archive could not be put on top of $branch; it was pushed to the branch $rescue instead. Merge that branch into $branch."
else
  echo "::error title=Archive not pushed::This run's archive could not be pushed at all; it is kept in this run's \"archive\" artifact. Download it and commit its files to $branch."
fi
exit 1
